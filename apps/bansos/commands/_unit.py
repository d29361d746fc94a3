"""What every bansos use case shares: the unit of work, the command-side indexes it keeps in
step with the events, and the locks (the eligibility facts: ``fakta``).

Indexes live on the write alias and change in the same transaction as the events they follow
from. Locks (PostgreSQL; SQLite has one writer at a time anyway) are taken in one order so
two paths never wait on each other in a circle: a household's KK and NIKs (decision, identity
policy), then recipients (suspension), then cycles' index rows (suspension: every open cycle
of the programme; an instruction batch, a cycle's step: its own), then instructions
(suspension, a channel report: an advisory lock per instruction).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TypeVar

from django.db import connections
from django.utils.translation import gettext_noop

from apps.bansos.commands.fakta import fakta_massal, fakta_untuk
from apps.bansos.domain.events import UsulanPenerimaDiajukan
from apps.bansos.domain.instruksi import InstruksiPembayaran
from apps.bansos.domain.penerima import Penerima
from apps.bansos.domain.penyaluran import SiklusPenyaluran
from apps.bansos.domain.rules import (
    DIALIHKAN_KE_POS,
    DIBUAT,
    DISALURKAN,
    DISETUJUI,
    MSG_INSTRUKSI_TIDAK_DIKENAL,
)
from apps.bansos.models import (
    IndeksAnggota,
    IndeksInstruksi,
    IndeksPenerima,
    IndeksRekening,
    IndeksSiklus,
)
from apps.bansos.store import store
from egov import unit_of_work as unit
from egov.eventstore.domain import Aggregate, EventMetadata
from egov.principals import NotVisible

ALIAS = "bansos"
A = TypeVar("A", bound=Aggregate)

MSG_USULAN_TIDAK_DITEMUKAN = gettext_noop("Usulan atau penerima bansos tidak ditemukan.")
MSG_SIKLUS_TIDAK_DITEMUKAN = gettext_noop("Siklus penyaluran tidak ditemukan.")
_TIDAK_DITEMUKAN = {
    Penerima: MSG_USULAN_TIDAK_DITEMUKAN,
    SiklusPenyaluran: MSG_SIKLUS_TIDAK_DITEMUKAN,
    InstruksiPembayaran: MSG_INSTRUKSI_TIDAK_DIKENAL,
}
__all__ = ["fakta_massal", "fakta_untuk"]  # re-exported: the commands' one reader of facts


# --- the unit of work -------------------------------------------------------------------------
def changing(
    kelas: type[A],
    stream_id: uuid.UUID,
    metadata: EventMetadata,
    *,
    baru: bool = False,
    kunci: Callable[[], None] | None = None,
) -> AbstractContextManager[A]:
    """One decision on one aggregate in one transaction (``egov.unit_of_work``), its index
    rows kept in step. ``baru``: the stream may be empty (a proposal, a cycle)."""
    not_found = _TIDAK_DITEMUKAN[kelas]
    return unit.changing(
        store, kelas, stream_id, metadata, not_found=not_found, save=simpan, new=baru, lock=kunci
    )


def simpan(aggregate: Aggregate, metadata: EventMetadata) -> None:
    """Append what ``aggregate`` decided (if anything) and keep its index rows in step."""
    if not aggregate.pending:
        return
    events = list(aggregate.pending)
    store.save(aggregate, metadata)
    if isinstance(aggregate, Penerima):
        _indeks_penerima(aggregate, events)
    elif isinstance(aggregate, SiklusPenyaluran):
        _indeks_siklus(aggregate)
    elif isinstance(aggregate, InstruksiPembayaran):
        indeks_instruksi(aggregate)


def _indeks_penerima(penerima: Penerima, events: list) -> None:
    row, _ = IndeksPenerima.objects.using(ALIAS).update_or_create(
        penerima_id=penerima.id,
        defaults={
            "program": penerima.program,
            "periode": penerima.periode,
            "nomor_kk_hash": penerima.nomor_kk_hash,
            "pengurus_nik_hash": penerima.pengurus_nik_hash,
            "kode_wilayah": penerima.kode_wilayah,
            "status": penerima.status,
        },
    )
    if any(isinstance(e, UsulanPenerimaDiajukan) for e in events):
        IndeksAnggota.objects.using(ALIAS).bulk_create(
            IndeksAnggota(penerima=row, nik_hash=a.nik_hash, nomor_kk_hash=row.nomor_kk_hash)
            for a in penerima.anggota
        )
        if penerima.rekening_hash:
            IndeksRekening.objects.using(ALIAS).create(
                penerima=row, rekening_hash=penerima.rekening_hash
            )


def _indeks_siklus(siklus: SiklusPenyaluran) -> None:
    defaults = {"program": siklus.program, "periode": siklus.periode, "tahap": siklus.tahap}
    row, dibuat = IndeksSiklus.objects.using(ALIAS).get_or_create(
        siklus_id=siklus.id, defaults={**defaults, "status": siklus.status}
    )
    # DISALURKAN is the index's own step (set by the first batch of instructions, which live
    # on their own streams): the round's events move it on only to a later step.
    if not dibuat and not (row.status == DISALURKAN and siklus.status == DISETUJUI):
        row.status = siklus.status
        row.save(update_fields=["status"])


def baris_instruksi(instruksi: InstruksiPembayaran) -> IndeksInstruksi:
    return IndeksInstruksi(
        instruksi_id=instruksi.id,
        siklus_id=instruksi.siklus_id,
        penerima_id=instruksi.penerima_id,
        nomor_kk_hash=instruksi.nomor_kk_hash,
        nominal=instruksi.nominal,
        nominal_disalurkan=instruksi.disalurkan,
        nominal_dikembalikan=instruksi.dikembalikan,
        kanal=instruksi.kanal,
        status=instruksi.status,
    )


def indeks_instruksi(instruksi: InstruksiPembayaran) -> None:
    row = baris_instruksi(instruksi)
    IndeksInstruksi.objects.using(ALIAS).update_or_create(
        instruksi_id=row.instruksi_id,
        defaults={
            f.attname: getattr(row, f.attname)
            for f in IndeksInstruksi._meta.concrete_fields
            if not f.primary_key
        },
    )


# --- look-ups and locks ------------------------------------------------------------------------
def indeks_penerima(penerima_id: uuid.UUID) -> IndeksPenerima:
    row = IndeksPenerima.objects.using(ALIAS).filter(penerima_id=penerima_id).first()
    if row is None:
        raise NotVisible(MSG_USULAN_TIDAK_DITEMUKAN)
    return row


def kunci(*kunci_kunci: str) -> None:
    """Advisory locks held until the transaction ends, taken in sorted order."""
    connection = connections[ALIAS]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for k in sorted(set(kunci_kunci)):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"bansos:{k}"])


def kunci_rumah_tangga(nomor_kk_hash: str, nik: Iterable[str]) -> None:
    """A household's KK and members: a decision and a death of one of them take turns, and
    two households sharing a KK or a NIK are decided one after the other (deduplication)."""
    kunci(f"kk:{nomor_kk_hash}", *(f"nik:{n}" for n in nik))


def kunci_penerima(penerima_ids: Iterable[uuid.UUID]) -> None:
    kunci(*(f"penerima:{i}" for i in penerima_ids))


def kunci_instruksi(instruksi_ids: Iterable[uuid.UUID]) -> None:
    """An instruction's reports and its cancellation take turns (its own stream: a round's
    other instructions are not held)."""
    kunci(*(f"instruksi:{i}" for i in instruksi_ids))


def kunci_siklus(siklus_id: uuid.UUID) -> IndeksSiklus:
    row = IndeksSiklus.objects.using(ALIAS).select_for_update().filter(siklus_id=siklus_id).first()
    if row is None:
        raise NotVisible(MSG_SIKLUS_TIDAK_DITEMUKAN)
    return row


# --- cancelling a recipient's pending instructions ---------------------------------------------
def batalkan_instruksi_penerima(
    penerima: Penerima, alasan: str, metadata: EventMetadata, sekarang: datetime
) -> None:
    """Inside the caller's transaction, the recipient's status already appended: cancel every
    instruction of the household whose money has not left (made, or waiting at PT Pos).

    Every open cycle of the programme is locked before looking: a batch instructing it right
    now holds its row, so its instructions are committed (and seen) once we get it, or the
    batch sees the recipient's new status. Each instruction is then locked (a channel's report
    on it waits) and loaded alone: its own short stream, not the round's."""
    terbuka = IndeksSiklus.objects.using(ALIAS).filter(
        program=penerima.program, status__in=(DISETUJUI, DISALURKAN)
    )
    list(terbuka.select_for_update().order_by("siklus_id").values_list("siklus_id"))
    menunggu = sorted(
        IndeksInstruksi.objects.using(ALIAS)
        .filter(penerima_id=penerima.id, status__in=(DIBUAT, DIALIHKAN_KE_POS))
        .values_list("instruksi_id", flat=True)
    )
    kunci_instruksi(menunggu)
    for instruksi_id in menunggu:
        instruksi = store.get(InstruksiPembayaran, instruksi_id)
        instruksi.batalkan(alasan=alasan, sekarang=sekarang)
        simpan(instruksi, metadata)
