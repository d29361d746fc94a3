"""Eligibility facts read from bansos's own replicas and indexes (never another context's
tables), for one household or a whole batch of a payment round at once.

One reader for both: ``fakta_untuk`` (a proposal's verification, a decision) is
``fakta_massal`` of one household, so a round's bulk check cannot drift from the single one.
A batch costs eight queries whatever its size (the look-ups cut into slices of
``IRISAN`` values, within every database's bound on parameters), and each household's facts
are then cut from the rows in memory.

Not read here: the DTSEN decile (no replica yet: the village's figure is used and flagged).
Shared bank accounts come from the command-side ``IndeksRekening`` (the account a proposal
named, by keyed hash).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.db import connections
from django.db.models import QuerySet

from apps.bansos.domain.kelayakan import (
    DataUsulan,
    FaktaKelayakan,
    PenerimaTercatat,
    StatusIdentitas,
)
from apps.bansos.domain.konfigurasi import KonfigurasiBansos
from apps.bansos.domain.penerima import BERJALAN
from apps.bansos.domain.rules import DIAJUKAN, DIVERIFIKASI, INSIDENTAL, Periode
from apps.bansos.models import (
    DaftarPengecualian,
    IdentitasDukcapil,
    IndeksAnggota,
    IndeksPenerima,
    IndeksRekening,
    KKDukcapil,
)
from egov.eventstore.domain import DomainError

ALIAS = "bansos"
# A household counts for the shared-account review while proposed or a member: a rejected
# proposal or an exited recipient no longer draws money into the account.
REKENING_AKTIF = (DIAJUKAN, DIVERIFIKASI, *BERJALAN)
IRISAN = 2000  # values per IN (...): SQLite allows 32,766 parameters, PostgreSQL 65,535


def irisan(values: Iterable, n: int = IRISAN) -> Iterator[list]:
    values = sorted(set(values))
    for start in range(0, len(values), n):
        yield values[start : start + n]


def dalam(rows: QuerySet, kolom: str, bagian: list) -> QuerySet:
    """``rows`` whose ``kolom`` is one of ``bagian``. On PostgreSQL one array parameter
    (``= ANY(%s)``) rather than an IN list: the driver parses a statement's placeholders on
    the client, and thousands of them cost more than the query itself (bench/)."""
    if connections[ALIAS].vendor != "postgresql":
        return rows.filter(**{f"{kolom}__in": bagian})
    meta = rows.model._meta
    quote = connections[ALIAS].ops.quote_name
    kolom_sql = f"{quote(meta.db_table)}.{quote(meta.get_field(kolom).column)}"
    # Names from the model's own metadata, the values a bound parameter: nothing from input.
    return rows.extra(where=[f"{kolom_sql} = ANY(%s)"], params=[bagian])  # noqa: S610


def _baris(model, kolom: str, values: Iterable, *fields: str, **filters) -> Iterator[tuple]:
    """``values_list(*fields)`` of ``model`` rows whose ``kolom`` is in ``values``, a slice
    at a time."""
    rows = model.objects.using(ALIAS).filter(**filters)
    for bagian in irisan(values):
        yield from dalam(rows, kolom, bagian).values_list(*fields)


def fakta_untuk(
    data: DataUsulan, periode: Periode, konfigurasi: KonfigurasiBansos
) -> FaktaKelayakan:
    """What bansos's replicas and indexes say now about ``data``'s members."""
    return fakta_massal([data], periode, konfigurasi)[data.id]


def fakta_massal(
    semua: Sequence[DataUsulan], periode: Periode, konfigurasi: KonfigurasiBansos
) -> dict[uuid.UUID, FaktaKelayakan]:
    """Each household's facts, read for all of them at once."""
    nik = {a.nik_hash for d in semua for a in d.anggota}
    identitas = {
        n: StatusIdentitas(status, alasan)
        for n, status, alasan in _baris(
            IdentitasDukcapil, "nik_hash", nik, "nik_hash", "status", "alasan"
        )
    }
    # One person, one KK: every membership listing the NIK, with its KK and status.
    keanggotaan: dict[str, list[tuple[str, uuid.UUID, str]]] = defaultdict(list)
    for n, kk_hash, penerima_id, status in _baris(
        IndeksAnggota,
        "nik_hash",
        nik,
        "nik_hash",
        "nomor_kk_hash",
        "penerima_id",
        "penerima__status",
    ):
        keanggotaan[n].append((kk_hash, penerima_id, status))
    dukcapil = dict(_baris(KKDukcapil, "nik_hash", nik, "nik_hash", "nomor_kk_hash"))
    pengecualian: dict[str, set[str]] = defaultdict(set)
    for n, kategori in _baris(DaftarPengecualian, "nik_hash", nik, "nik_hash", "kategori"):
        pengecualian[n].add(kategori)
    lain = _PenerimaLain(semua, keanggotaan, periode, konfigurasi)
    rekening = _rekening(semua)
    return {
        d.id: FaktaKelayakan(
            identitas={
                a.nik_hash: identitas[a.nik_hash] for a in d.anggota if a.nik_hash in identitas
            },
            kk=_kk(d, keanggotaan, dukcapil),
            penerima=lain.untuk(d),
            pengecualian={
                a.nik_hash: frozenset(pengecualian[a.nik_hash])
                for a in d.anggota
                if a.nik_hash in pengecualian
            },
            rekening_bersama=_rekening_bersama(d, rekening),
        )
        for d in semua
    }


def _rekening(semua: Sequence[DataUsulan]) -> dict[str, set[tuple[uuid.UUID, str]]]:
    """Account hash -> (household, KK hash) of every proposed or running household naming
    it, for the accounts of the batch: one look-up (a slice at a time)."""
    per_rekening: dict[str, set[tuple[uuid.UUID, str]]] = defaultdict(set)
    for rekening_hash, penerima_id, kk_hash in _baris(
        IndeksRekening,
        "rekening_hash",
        {d.rekening_hash for d in semua if d.rekening_hash},
        "rekening_hash",
        "penerima_id",
        "penerima__nomor_kk_hash",
        penerima__status__in=REKENING_AKTIF,
    ):
        per_rekening[rekening_hash].add((penerima_id, kk_hash))
    return per_rekening


def _rekening_bersama(data: DataUsulan, per_rekening: dict) -> int:
    """How many other households share ``data``'s account. Another household is another KK:
    one family proposed for PKH and BPNT (two streams, one KK) rightly uses one account."""
    if not data.rekening_hash:
        return 0
    return len(
        {
            kk_hash
            for penerima_id, kk_hash in per_rekening.get(data.rekening_hash, ())
            if penerima_id != data.id and kk_hash != data.nomor_kk_hash
        }
    )


def _kk(
    data: DataUsulan,
    keanggotaan: dict[str, list[tuple[str, uuid.UUID, str]]],
    dukcapil: dict[str, str],
) -> dict[str, frozenset[str]]:
    """The KKs each member is listed in: the household's own and those of running
    memberships (a pending or rejected proposal blocks nobody); Dukcapil's word alone where
    the bus delivered the member's family card."""
    kk: dict[str, frozenset[str]] = {}
    for a in data.anggota:
        daftar = {
            kk_hash
            for kk_hash, penerima_id, status in keanggotaan.get(a.nik_hash, ())
            if penerima_id == data.id or status in BERJALAN
        }
        if daftar:
            kk[a.nik_hash] = frozenset(daftar)
        if a.nik_hash in dukcapil:
            kk[a.nik_hash] = frozenset({dukcapil[a.nik_hash]})
    return kk


class _PenerimaLain:
    """Memberships (active or suspended) sharing a household's KK or a member, of every
    programme: looked up by KK and by NIK apart (indexed look-ups; an OR across the member
    join made the planner scan every membership), then read once with their members."""

    def __init__(self, semua, keanggotaan, periode: Periode, konfigurasi: KonfigurasiBansos):
        self.per_kk: dict[str, set[uuid.UUID]] = defaultdict(set)
        for kk_hash, penerima_id in _baris(
            IndeksPenerima,
            "nomor_kk_hash",
            {d.nomor_kk_hash for d in semua},
            "nomor_kk_hash",
            "penerima_id",
            status__in=BERJALAN,
        ):
            self.per_kk[kk_hash].add(penerima_id)
        self.per_nik: dict[str, set[uuid.UUID]] = {
            n: {penerima_id for _, penerima_id, status in rows if status in BERJALAN}
            for n, rows in keanggotaan.items()
        }
        ids = set().union(*self.per_kk.values(), *self.per_nik.values())
        anggota: dict[uuid.UUID, set[str]] = defaultdict(set)
        for penerima_id, n in _baris(IndeksAnggota, "penerima_id", ids, "penerima_id", "nik_hash"):
            anggota[penerima_id].add(n)
        self.tercatat = {
            penerima_id: PenerimaTercatat(
                penerima_id,
                program,
                _periode_tercatat(program, mulai, periode, konfigurasi),
                kk_hash,
                frozenset(anggota[penerima_id]),
            )
            for penerima_id, program, mulai, kk_hash in _baris(
                IndeksPenerima,
                "penerima_id",
                ids,
                "penerima_id",
                "program",
                "periode",
                "nomor_kk_hash",
                status__in=BERJALAN,
            )
        }

    def untuk(self, data: DataUsulan) -> tuple[PenerimaTercatat, ...]:
        ids = set(self.per_kk.get(data.nomor_kk_hash, ()))
        for a in data.anggota:
            ids |= self.per_nik.get(a.nik_hash, set())
        ids.discard(data.id)
        return tuple(self.tercatat[i] for i in sorted(ids) if i in self.tercatat)


def _periode_tercatat(
    program: str, mulai_teks: str, periode: Periode, konfigurasi: KonfigurasiBansos
) -> str:
    """A membership runs from its decided period on (PKH and BPNT pay every period until it
    ends), so one that started by the end of the checked period is receiving in it; an ad hoc
    programme (BLT) covers only its own period."""
    mulai = Periode.parse(mulai_teks)
    try:
        insidental = konfigurasi.program_pada(program, mulai.awal).jadwal == INSIDENTAL
    except DomainError:
        insidental = True
    if insidental or mulai.awal > periode.akhir:
        return mulai_teks
    return str(periode)
