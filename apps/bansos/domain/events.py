"""Events of the bansos context (Kemensos). Fields are the payload.

Streams: ``Penerima`` (one household in one programme: it starts as a proposal and, once
decided, is the recipient's membership) and ``SiklusPenyaluran`` (one disbursement round).

Personal data: NIKs and KK numbers only ever appear as keyed hashes (pseudonyms, in clear like
ktp's ``nik_hash``). What a household's events say about its people (who counts for which PKH
component: pregnancy, disability, children; the welfare decile; free-text reasons, a death
note, an appeal) is sealed (``personal_fields``) with the key of the household's pengurus (the
member the money is paid to, ``pengurus_nik_hash``): erasing that person's data shreds it. The
cycle's events carry internal ids, amounts and bank references only: they are state finance
records that must still reconcile after a household's data is erased. Amounts are whole rupiah.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from egov.eventstore.domain import DomainEvent


def _tuples(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_tuples(v) for v in value)
    return value


@dataclass(frozen=True)
class PeristiwaBansos(DomainEvent):
    """Base of bansos's events: a payload read back turns nested lists into tuples again, so
    an event with pairs (``anggota``) loads equal to the event that was written."""

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> DomainEvent:
        event = super().from_payload(payload)
        nested = {
            f.name: _tuples(getattr(event, f.name))
            for f in dataclasses.fields(event)
            if isinstance(getattr(event, f.name), tuple)
        }
        return dataclasses.replace(event, **nested) if nested else event


# --- stream Penerima: the proposal ---------------------------------------------------------------
@dataclass(frozen=True)
class UsulanPenerimaDiajukan(PeristiwaBansos):
    """A village (desa/kelurahan) proposed a household for a programme and period.
    ``anggota``: (NIK hash, PKH component or "") per member; ``desil``: the DTSEN decile the
    village read."""

    personal_fields = ("anggota", "desil")
    subject_field = "pengurus_nik_hash"

    usulan_id: uuid.UUID
    program: str
    periode: str
    nomor_kk_hash: str
    pengurus_nik_hash: str
    anggota: tuple[tuple[str, str], ...]
    desil: int
    kode_wilayah: str  # village code (10 digits): where aid is counted
    diajukan_oleh: str
    diajukan_pada: datetime


@dataclass(frozen=True)
class UsulanDiverifikasi(PeristiwaBansos):
    """Eligibility was checked against the replicas: rules passed (``lolos``), failed
    (``gagal``), flagged for review (``tinjau``); ``temuan``: (code, NIK hash or "") for each
    finding; ``desil``: the decile the rule used."""

    personal_fields = ("temuan", "desil")
    subject_field = "pengurus_nik_hash"

    usulan_id: uuid.UUID
    pengurus_nik_hash: str
    layak: bool
    lolos: tuple[str, ...]
    gagal: tuple[str, ...]
    tinjau: tuple[str, ...]
    temuan: tuple[tuple[str, str], ...]
    desil: int
    diverifikasi_oleh: str
    diverifikasi_pada: datetime


@dataclass(frozen=True)
class UsulanDitolak(PeristiwaBansos):
    personal_fields = ("alasan",)
    subject_field = "pengurus_nik_hash"

    usulan_id: uuid.UUID
    pengurus_nik_hash: str
    alasan: str
    ditolak_oleh: str
    ditolak_pada: datetime


# --- stream Penerima: the membership (OpenSPP: enrolled / paused / exited) -----------------------
@dataclass(frozen=True)
class PenerimaDitetapkan(PeristiwaBansos):
    """The household is decided a recipient from ``periode`` on (``dasar_hukum``: the decree).
    ``komponen``: the PKH components of its members; which of them are paid, and how much, is
    read from the programme row in force for each payment period."""

    personal_fields = ("komponen",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    program: str
    periode: str
    nomor_kk_hash: str
    pengurus_nik_hash: str
    anggota: tuple[str, ...]
    komponen: tuple[str, ...]
    dasar_hukum: str
    ditetapkan_oleh: str
    ditetapkan_pada: datetime


@dataclass(frozen=True)
class PenerimaDitangguhkan(PeristiwaBansos):
    """Paused (MENINGGAL, NIK_NONAKTIF, TIDAK_LAYAK, LAINNYA): no payment until reactivated.
    ``nik_hash``: the member concerned ("" for the household)."""

    personal_fields = ("keterangan",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    alasan: str
    keterangan: str
    nik_hash: str
    ditangguhkan_oleh: str
    ditangguhkan_pada: datetime


@dataclass(frozen=True)
class PenerimaDiaktifkanKembali(PeristiwaBansos):
    personal_fields = ("keterangan",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    keterangan: str
    diaktifkan_oleh: str
    diaktifkan_pada: datetime


@dataclass(frozen=True)
class PenerimaDigraduasi(PeristiwaBansos):
    """Left the programme because the household no longer needs it (graduasi sejahtera)."""

    personal_fields = ("keterangan",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    keterangan: str
    digraduasi_oleh: str
    digraduasi_pada: datetime


@dataclass(frozen=True)
class PenerimaDikeluarkan(PeristiwaBansos):
    personal_fields = ("alasan",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    alasan: str
    dikeluarkan_oleh: str
    dikeluarkan_pada: datetime


@dataclass(frozen=True)
class KepatuhanDicatat(PeristiwaBansos):
    """PKH conditionality for one component in one period (a child at school, a pregnancy
    check-up); ``sumber``: the system or office that reported it."""

    personal_fields = ("komponen", "patuh")
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    periode: str
    komponen: str
    patuh: bool
    sumber: str
    dicatat_pada: datetime


@dataclass(frozen=True)
class KeberatanDiajukan(PeristiwaBansos):
    """An appeal (against a suspension, an exit, an amount)."""

    personal_fields = ("alasan",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    alasan: str
    diajukan_oleh: str
    diajukan_pada: datetime


@dataclass(frozen=True)
class KeberatanDijawab(PeristiwaBansos):
    """The appeal's answer (DITERIMA | DITOLAK). Accepting it changes nothing by itself: the
    officer then reactivates the recipient, so the reactivation has its own event and actor."""

    personal_fields = ("jawaban",)
    subject_field = "pengurus_nik_hash"

    penerima_id: uuid.UUID
    pengurus_nik_hash: str
    keputusan: str
    jawaban: str
    dijawab_oleh: str
    dijawab_pada: datetime


EVENTS_PENERIMA = (
    UsulanPenerimaDiajukan,
    UsulanDiverifikasi,
    UsulanDitolak,
    PenerimaDitetapkan,
    PenerimaDitangguhkan,
    PenerimaDiaktifkanKembali,
    PenerimaDigraduasi,
    PenerimaDikeluarkan,
    KepatuhanDicatat,
    KeberatanDiajukan,
    KeberatanDijawab,
)
EVENTS: tuple[type[DomainEvent], ...] = EVENTS_PENERIMA
