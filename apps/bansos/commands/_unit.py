"""What every bansos use case shares: the unit of work, the command-side indexes it keeps in
step with the events, the locks, and the eligibility facts read from bansos's replicas.

Indexes live on the write alias and change in the same transaction as the events they follow
from. Locks (PostgreSQL; SQLite has one writer at a time anyway) are taken in one order so
two paths never wait on each other in a circle: a household's KK and NIKs (decision, identity
policy), then recipients (suspension), then cycles' index rows (suspension: every open cycle
of the programme; an instruction batch, a channel report, a cycle's step: its own).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TypeVar

from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext_noop

from apps.bansos.domain.events import UsulanPenerimaDiajukan
from apps.bansos.domain.kelayakan import (
    DataUsulan,
    FaktaKelayakan,
    PenerimaTercatat,
    StatusIdentitas,
)
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.penerima import BERJALAN, Penerima
from apps.bansos.domain.penyaluran import SiklusPenyaluran
from apps.bansos.domain.rules import INSIDENTAL, Periode
from apps.bansos.models import (
    DaftarPengecualian,
    IdentitasDukcapil,
    IndeksAnggota,
    IndeksInstruksi,
    IndeksPenerima,
    IndeksSiklus,
    KKDukcapil,
)
from apps.bansos.store import store
from egov import unit_of_work as unit
from egov.eventstore.domain import Aggregate, DomainError, EventMetadata
from egov.principals import NotVisible

ALIAS = "bansos"
A = TypeVar("A", bound=Aggregate)

MSG_USULAN_TIDAK_DITEMUKAN = gettext_noop("Usulan atau penerima bansos tidak ditemukan.")
MSG_SIKLUS_TIDAK_DITEMUKAN = gettext_noop("Siklus penyaluran tidak ditemukan.")
_TIDAK_DITEMUKAN = {
    Penerima: MSG_USULAN_TIDAK_DITEMUKAN,
    SiklusPenyaluran: MSG_SIKLUS_TIDAK_DITEMUKAN,
}


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
        _indeks_siklus(aggregate, events)


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


def _indeks_siklus(siklus: SiklusPenyaluran, events: list) -> None:
    row, _ = IndeksSiklus.objects.using(ALIAS).update_or_create(
        siklus_id=siklus.id,
        defaults={
            "program": siklus.program,
            "periode": siklus.periode,
            "tahap": siklus.tahap,
            "status": siklus.status,
        },
    )
    for kunci in dict.fromkeys(getattr(e, "instruksi_id", None) for e in events):
        if kunci is None:
            continue
        i = siklus.instruksi[kunci]
        IndeksInstruksi.objects.using(ALIAS).update_or_create(
            instruksi_id=kunci,
            defaults={
                "siklus": row,
                "penerima_id": i.penerima_id,
                "nominal": i.nominal,
                "kanal": i.kanal,
                "status": i.status,
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


def kunci_siklus(siklus_id: uuid.UUID) -> IndeksSiklus:
    row = IndeksSiklus.objects.using(ALIAS).select_for_update().filter(siklus_id=siklus_id).first()
    if row is None:
        raise NotVisible(MSG_SIKLUS_TIDAK_DITEMUKAN)
    return row


# --- eligibility facts from the replicas -------------------------------------------------------
def fakta_untuk(
    data: DataUsulan, periode: Periode, konfigurasi: KonfigurasiBansos
) -> FaktaKelayakan:
    """What bansos's replicas and indexes say now about ``data``'s members. Not read here:
    the DTSEN decile (no replica yet: the village's figure is used and flagged) and shared bank
    accounts (not recorded yet)."""
    nik = [a.nik_hash for a in data.anggota]
    identitas = {
        r.nik_hash: StatusIdentitas(r.status, r.alasan)
        for r in IdentitasDukcapil.objects.using(ALIAS).filter(nik_hash__in=nik)
    }
    kk: dict[str, set[str]] = defaultdict(set)
    # One person, one KK: the household's own KK and those of running memberships listing
    # the NIK (a pending or rejected proposal blocks nobody)...
    for nik_hash, kk_hash in (
        IndeksAnggota.objects.using(ALIAS)
        .filter(nik_hash__in=nik)
        .filter(Q(penerima_id=data.id) | Q(penerima__status__in=BERJALAN))
        .values_list("nik_hash", "nomor_kk_hash")
    ):
        kk[nik_hash].add(kk_hash)
    # Dukcapil's word, where the bus delivered the member's family card: that KK alone.
    for nik_hash, kk_hash in (
        KKDukcapil.objects.using(ALIAS)
        .filter(nik_hash__in=nik)
        .values_list("nik_hash", "nomor_kk_hash")
    ):
        kk[nik_hash] = {kk_hash}
    pengecualian: dict[str, set[str]] = defaultdict(set)
    for nik_hash, kategori in (
        DaftarPengecualian.objects.using(ALIAS)
        .filter(nik_hash__in=nik)
        .values_list("nik_hash", "kategori")
    ):
        pengecualian[nik_hash].add(kategori)
    return FaktaKelayakan(
        identitas=identitas,
        kk={n: frozenset(k) for n, k in kk.items()},
        penerima=_penerima_lain(data, nik, periode, konfigurasi),
        pengecualian={n: frozenset(k) for n, k in pengecualian.items()},
    )


def _penerima_lain(
    data: DataUsulan, nik: list[str], periode: Periode, konfigurasi: KonfigurasiBansos
) -> tuple[PenerimaTercatat, ...]:
    """Memberships (active or suspended) sharing the KK or a member, of every programme."""
    # Two indexed look-ups, not one OR across the member join: the planner answers that OR
    # with a scan of every membership, which made each check slower as the registry grew.
    lewat_kk = IndeksPenerima.objects.using(ALIAS).filter(nomor_kk_hash=data.nomor_kk_hash)
    lewat_anggota = IndeksAnggota.objects.using(ALIAS).filter(nik_hash__in=nik)
    ids = set(lewat_kk.values_list("penerima_id", flat=True))
    ids |= set(lewat_anggota.values_list("penerima_id", flat=True))
    ids.discard(data.id)
    rows = (
        IndeksPenerima.objects.using(ALIAS)
        .filter(penerima_id__in=ids, status__in=BERJALAN)
        .order_by("penerima_id")
        .prefetch_related("anggota")
    )
    return tuple(
        PenerimaTercatat(
            r.penerima_id,
            r.program,
            _periode_tercatat(r, periode, konfigurasi),
            r.nomor_kk_hash,
            frozenset(a.nik_hash for a in r.anggota.all()),
        )
        for r in rows
    )


def _periode_tercatat(row: IndeksPenerima, periode: Periode, konfigurasi: KonfigurasiBansos) -> str:
    """A membership runs from its decided period on (PKH and BPNT pay every period until it
    ends), so one that started by the end of the checked period is receiving in it; an ad hoc
    programme (BLT) covers only its own period."""
    mulai = Periode.parse(row.periode)
    try:
        insidental = konfigurasi.program_pada(row.program, mulai.awal).jadwal == INSIDENTAL
    except DomainError:
        insidental = True
    if insidental or mulai.awal > periode.akhir:
        return row.periode
    return str(periode)
