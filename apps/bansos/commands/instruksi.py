"""A payment round's instructions made a batch at a time (``bansos_buat_instruksi``).

A national round is 100,000 recipients: checking them one by one (a stream load and four
look-ups each) took 5.5 ms a recipient. Here a batch of recipients costs a fixed number of
queries: the candidates in id order from the index, their streams in one read, the facts
from bansos's replicas for the whole batch (``fakta.fakta_massal``, the same reader a single
verification uses), the KKs already paid in the round; then the same domain decision per
recipient (``InstruksiPembayaran.buat``: one rule set), and the new instructions appended a
few hundred rows per INSERT (``store.save_many``) with their index rows.

Each batch is its own transaction, holding the round's index row (a suspension locks it
before it looks for instructions to cancel, so it sees a batch's instructions or the batch
sees the recipient suspended) and nothing else; a long transaction would hold back every
feed on the server (docs/architecture.md, gap safety). Memory stays one batch's worth.
Re-run after a crash half way, the batches already committed are found in the index
(instruction ids are derived from round and recipient) and skipped: no instruction twice.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from apps.bansos.commands._unit import ALIAS, baris_instruksi, kunci_siklus
from apps.bansos.commands.fakta import dalam, fakta_massal, irisan
from apps.bansos.domain.instruksi import InstruksiPembayaran
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.penerima import BERJALAN, Penerima
from apps.bansos.domain.penyaluran import SiklusPenyaluran, instruksi_id
from apps.bansos.domain.rules import DISALURKAN, DISETUJUI, Periode, tolak_tahap
from apps.bansos.models import BansosEvent, IndeksInstruksi, IndeksPenerima, IndeksSiklus
from apps.bansos.store import store
from egov.db import atomic
from egov.eventstore.crypto import unit_keys
from egov.eventstore.domain import EventMetadata, InvalidState

UKURAN_BATCH = 5000
KOLOM_EVENT = ("position", *store.COLUMNS)


@dataclass
class Batch:
    """What one batch did; ``terakhir``: the last candidate id read (the next batch's
    cursor), None when no candidate was left."""

    dibuat: list[uuid.UUID] = field(default_factory=list)
    dilewati: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    terakhir: uuid.UUID | None = None


def instruksikan_batch(
    *,
    siklus_id: uuid.UUID,
    kanal: str,
    setelah: uuid.UUID | None,
    ukuran: int,
    sekarang: datetime,
    konfigurasi: KonfigurasiBansos,
    metadata: EventMetadata,
) -> Batch:
    """The next ``ukuran`` candidates after ``setelah``, in one transaction."""
    with atomic(ALIAS), unit_keys():
        kunci_siklus(siklus_id)
        siklus = store.get(SiklusPenyaluran, siklus_id)
        if siklus.status not in (DISETUJUI, DISALURKAN):  # refuse the batch, not each one
            raise tolak_tahap("Siklus penyaluran", siklus.status, "membuat instruksi")
        batch = Batch()
        calon = _calon(siklus, setelah, ukuran, batch)
        if not calon:
            return batch
        penerima = _muat_penerima(calon)
        periode = Periode.parse(siklus.periode)
        fakta = fakta_massal([p.data for p in penerima], periode, konfigurasi)
        kk_dibayar = _kk_dibayar(siklus_id, {p.nomor_kk_hash for p in penerima})
        baru = []
        for p in penerima:
            instruksi = InstruksiPembayaran(instruksi_id(siklus_id, p.id))
            try:
                instruksi.buat(
                    siklus=siklus,
                    penerima=p,
                    fakta=fakta[p.id],
                    kanal=kanal,
                    kk_dibayar=kk_dibayar,
                    sekarang=sekarang,
                    konfigurasi=konfigurasi,
                )
            except InvalidState as refusal:
                batch.dilewati.append((p.id, refusal.code))
                continue
            baru.append(instruksi)
            kk_dibayar.add(p.nomor_kk_hash)
            batch.dibuat.append(instruksi.id)
        _simpan_baru(siklus_id, baru, metadata)
    return batch


def _calon(
    siklus: SiklusPenyaluran, setelah: uuid.UUID | None, ukuran: int, batch: Batch
) -> list[uuid.UUID]:
    """Running memberships of the round's programme decided from its period on, in id
    order after ``setelah``, not instructed yet in this round (a retried batch: skipped,
    neither made nor listed)."""
    awal = Periode.parse(siklus.periode).awal
    rows = IndeksPenerima.objects.using(ALIAS).filter(
        program=siklus.program, status__in=BERJALAN
    )
    if setelah is not None:
        rows = rows.filter(penerima_id__gt=setelah)
    halaman = list(rows.order_by("penerima_id").values_list("penerima_id", "periode")[:ukuran])
    if not halaman:
        return []
    batch.terakhir = halaman[-1][0]
    ids = [pid for pid, periode in halaman if Periode.parse(periode).awal <= awal]
    kunci = {instruksi_id(siklus.id, pid): pid for pid in ids}
    sudah = set()
    for bagian in irisan(kunci):
        rows = dalam(IndeksInstruksi.objects.using(ALIAS), "instruksi_id", bagian)
        sudah |= set(rows.values_list("penerima_id", flat=True))
    return [pid for pid in ids if pid not in sudah]


def _muat_penerima(ids: list[uuid.UUID]) -> list[Penerima]:
    """The recipients' streams read together (one query a slice, their subjects' keys in
    one more), in ``ids`` order."""
    streams: dict[uuid.UUID, list] = defaultdict(list)
    for bagian in irisan(ids):
        rows = dalam(BansosEvent.objects.using(ALIAS), "stream_id", bagian)
        # Named tuples with the columns decode_rows reads, not model instances.
        rows = rows.order_by("stream_id", "version").values_list(*KOLOM_EVENT, named=True)
        for recorded in store.decode_rows(rows, decrypt=True):
            streams[recorded.stream_id].append(recorded.event)
    return [Penerima.rehydrate(pid, streams[pid]) for pid in ids]


def _kk_dibayar(siklus_id: uuid.UUID, kk: Iterable[str]) -> set[str]:
    """The KKs among ``kk`` already instructed in this round (cancelled ones included: one
    instruction per KK and round)."""
    dibayar: set[str] = set()
    rows = IndeksInstruksi.objects.using(ALIAS).filter(siklus_id=siklus_id)
    for bagian in irisan(kk):
        bayar = dalam(rows, "nomor_kk_hash", bagian)
        dibayar |= set(bayar.values_list("nomor_kk_hash", flat=True))
    return dibayar


def _simpan_baru(
    siklus_id: uuid.UUID, baru: list[InstruksiPembayaran], metadata: EventMetadata
) -> None:
    if not baru:
        return
    store.save_many(baru, metadata)
    IndeksInstruksi.objects.using(ALIAS).bulk_create(
        [baris_instruksi(i) for i in baru], batch_size=1000
    )
    IndeksSiklus.objects.using(ALIAS).filter(siklus_id=siklus_id, status=DISETUJUI).update(
        status=DISALURKAN
    )
