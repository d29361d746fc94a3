"""Events of the bansos context (Kemensos). Fields are the payload.

Streams: ``Penerima`` (one household in one programme: it starts as a proposal and, once
decided, is the recipient's membership), ``SiklusPenyaluran`` (one disbursement round: its
own steps) and ``InstruksiPembayaran`` (one recipient's payment in a round: made, reported by
the channel, cancelled).

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
    schema_version = 3  # 2: diajukan_oleh_id; 3: rekening_hash

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
    # The proposer's principal id ("user:12"): four eyes compare ids, never display names
    # (two officers may share one). "" in events written before schema 2.
    diajukan_oleh_id: str = ""
    # The bank account the aid is paid into, as a keyed hash (purpose ``rekening``), never
    # the number: one account behind many households is flagged for review. "" for none
    # (cash at PT Pos) and in events written before schema 3.
    rekening_hash: str = ""


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


# --- stream SiklusPenyaluran (OpenG2P: draft, to_approve, approved, distributed, ended) ---
@dataclass(frozen=True)
class SiklusPenyaluranDibuat(PeristiwaBansos):
    """A disbursement round of a programme for one period; ``tahap`` 1 is the regular round,
    2 and up the catch-up rounds (susulan) of the same period."""

    schema_version = 2  # 2: dibuat_oleh_id

    siklus_id: uuid.UUID
    program: str
    periode: str
    tahap: int
    dibuat_oleh: str
    dibuat_pada: datetime
    dibuat_oleh_id: str = ""  # the creator's principal id ("" before schema 2)


@dataclass(frozen=True)
class SiklusDiajukan(PeristiwaBansos):
    siklus_id: uuid.UUID
    diajukan_oleh: str
    diajukan_pada: datetime


@dataclass(frozen=True)
class SiklusDisetujui(PeristiwaBansos):
    """Approved by an officer other than its creator (four eyes)."""

    siklus_id: uuid.UUID
    disetujui_oleh: str
    disetujui_pada: datetime


# --- stream InstruksiPembayaran (one per round and recipient) -------------------------------
@dataclass(frozen=True)
class InstruksiPembayaranDibuat(PeristiwaBansos):
    """Pay ``nominal`` to one recipient through ``kanal`` (a Himbara bank or POS). Made only
    for a recipient active and eligible at that moment; ``instruksi_id`` is derived from the
    cycle and the recipient, so a retried batch makes no second instruction. ``komponen``: the
    PKH components the amount paid (from the programme row of the cycle's period)."""

    instruksi_id: uuid.UUID
    siklus_id: uuid.UUID
    penerima_id: uuid.UUID
    nomor_kk_hash: str
    nominal: int
    kanal: str
    komponen: tuple[str, ...]
    dibuat_pada: datetime


@dataclass(frozen=True)
class InstruksiDibatalkan(PeristiwaBansos):
    """The recipient was suspended before the money left: the channel must not pay."""

    instruksi_id: uuid.UUID
    penerima_id: uuid.UUID
    alasan: str
    dibatalkan_pada: datetime


@dataclass(frozen=True)
class DanaDisalurkan(PeristiwaBansos):
    """The channel paid (``ntx``: its transaction number; ``nominal``: what it reports)."""

    instruksi_id: uuid.UUID
    kanal: str
    ntx: str
    nominal: int
    disalurkan_pada: datetime


@dataclass(frozen=True)
class DanaGagalDisalurkan(PeristiwaBansos):
    """The transfer failed (closed account, wrong name): the money never left the round."""

    instruksi_id: uuid.UUID
    alasan: str
    dilaporkan_pada: datetime


@dataclass(frozen=True)
class DanaTidakDiambil(PeristiwaBansos):
    """Credited but not collected by the deadline."""

    instruksi_id: uuid.UUID
    dilaporkan_pada: datetime


@dataclass(frozen=True)
class PenyaluranDialihkanKePos(PeristiwaBansos):
    """Not collected at the bank: PT Pos delivers it (to the door if need be)."""

    instruksi_id: uuid.UUID
    dialihkan_pada: datetime


@dataclass(frozen=True)
class DanaDikembalikan(PeristiwaBansos):
    """Not collected in the end: returned to the state treasury (``referensi``: the return's
    receipt, e.g. its NTPN; ``nominal``: what was returned)."""

    instruksi_id: uuid.UUID
    nominal: int
    referensi: str
    dikembalikan_pada: datetime


# --- stream SiklusPenyaluran: closing -------------------------------------------------------
@dataclass(frozen=True)
class SiklusDitutup(PeristiwaBansos):
    """The round is reconciled to the rupiah: every instruction has a final outcome and
    disbursed + returned + failed + cancelled = instructed."""

    siklus_id: uuid.UUID
    jumlah_instruksi: int
    diinstruksikan: int
    disalurkan: int
    dikembalikan: int
    gagal: int
    dibatalkan: int
    ditutup_oleh: str
    ditutup_pada: datetime


EVENTS_PENYALURAN = (
    SiklusPenyaluranDibuat,
    SiklusDiajukan,
    SiklusDisetujui,
    InstruksiPembayaranDibuat,
    InstruksiDibatalkan,
    DanaDisalurkan,
    DanaGagalDisalurkan,
    DanaTidakDiambil,
    PenyaluranDialihkanKePos,
    DanaDikembalikan,
    SiklusDitutup,
)
EVENTS: tuple[type[DomainEvent], ...] = (*EVENTS_PENERIMA, *EVENTS_PENYALURAN)
