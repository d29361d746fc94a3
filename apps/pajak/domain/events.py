"""Events of the pajak context (DJP). Fields are the payload.

Personal data: an individual's NPWP *is* their NIK, so every field that holds an NPWP or NITKU,
and every name, is a ``personal_fields`` entry, encrypted at rest with the data subject's own
key (crypto-shredding, UU PDP 27/2022). The subject (``subjek_id``) is the keyed hash of the
NIK for an individual, the same id the e-KTP context uses, and the keyed hash of the NPWP16
for a company. Other events name the taxpayer by ``wajib_pajak_id`` (its stream id, derived
from ``subjek_id``) and never carry a number in clear. Amounts are whole rupiah (``int``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from egov.eventstore.domain import DomainEvent


# --- stream WajibPajak --------------------------------------------------------------------
@dataclass(frozen=True)
class WajibPajakTerdaftar(DomainEvent):
    """Registered: an individual (``OP``, NPWP = NIK matched with Dukcapil, PMK 112/2022) or a
    company (``BADAN``, NPWP16)."""

    personal_fields = ("npwp", "nama")
    subject_field = "subjek_id"

    subjek_id: str
    jenis: str
    npwp: str
    nama: str
    kode_wilayah: str  # regency (4 digits): where receipts are counted, not personal
    terdaftar_pada: datetime


@dataclass(frozen=True)
class TKUDidaftarkan(DomainEvent):
    """A place of business (branch) got its NITKU = NPWP16 + ``kode_tku``."""

    personal_fields = ("nitku",)
    subject_field = "subjek_id"

    subjek_id: str
    nitku: str
    kode_tku: str
    nama_tku: str
    didaftarkan_pada: datetime


@dataclass(frozen=True)
class PKPDikukuhkan(DomainEvent):
    """Confirmed as a VAT-registered business (Pengusaha Kena Pajak, UU PPN Pasal 3A)."""

    subject_field = "subjek_id"

    subjek_id: str
    tanggal_pengukuhan: date
    petugas: str
    dikukuhkan_pada: datetime


@dataclass(frozen=True)
class PeninjauanWajibPajakDibuka(DomainEvent):
    """Dukcapil deactivated the taxpayer's NIK (death, duplicate): an officer reviews the
    registration; nothing is deregistered automatically. ``sumber``: the KTP event's id."""

    subject_field = "subjek_id"

    subjek_id: str
    alasan: str
    sumber: str
    dibuka_pada: datetime


# --- stream KodeBilling (one per code) --------------------------------------------------------
@dataclass(frozen=True)
class KodeBillingDibuat(DomainEvent):
    """A billing code (MPN G3): payable in full, once, before ``kedaluwarsa``."""

    subject_field = "subjek_id"

    kode: str
    wajib_pajak_id: uuid.UUID
    subjek_id: str
    jenis_pajak: str
    kap: str
    kjs: str
    masa: str
    nominal: int
    dibuat_pada: datetime
    kedaluwarsa: datetime
    kewajiban_id: uuid.UUID | None = None  # the obligation whose return waits for it


@dataclass(frozen=True)
class KodeBillingKedaluwarsa(DomainEvent):
    kode: str
    kedaluwarsa: datetime


@dataclass(frozen=True)
class PembayaranDiterima(DomainEvent):
    """A perception bank reported the payment: NTPN (state revenue receipt, 16 characters)
    and NTB (the bank's own transaction number)."""

    kode: str
    ntpn: str
    ntb: str
    tanggal_bayar: datetime
    nominal: int
    bank: str


# --- stream Kewajiban (one per taxpayer, tax and period) ---------------------------------------
@dataclass(frozen=True)
class KewajibanMasaTimbul(DomainEvent):
    """A tax obligation for one period, with its deadlines already moved past weekends and
    holidays (computed once: a replay never reads the calendar again)."""

    subject_field = "subjek_id"

    wajib_pajak_id: uuid.UUID
    subjek_id: str
    jenis_pajak: str
    masa: str
    jatuh_tempo_bayar: date
    jatuh_tempo_lapor: date
    dasar_hukum: str


@dataclass(frozen=True)
class SPTDisusun(DomainEvent):
    """A return drafted (``pembetulan_ke`` 0) or an amendment drafted (1, 2, ...).
    ``kurang_bayar`` = tax due - credits - what earlier versions paid; below zero is an
    overpayment."""

    pembetulan_ke: int
    pajak_terutang: int
    kredit_pajak: int
    kurang_bayar: int
    disusun_pada: datetime


@dataclass(frozen=True)
class SPTMenungguPembayaran(DomainEvent):
    """The return shows tax to pay: it is filed once its billing code is paid."""

    pembetulan_ke: int
    kode_billing: str
    nominal: int


@dataclass(frozen=True)
class SPTDilaporkan(DomainEvent):
    """The return was filed: ``bpe`` is the electronic receipt (Bukti Penerimaan Elektronik);
    ``ntpn`` and ``dibayar`` the payment it waited for, if any."""

    bpe: str
    dilaporkan_pada: datetime
    ntpn: str = ""
    dibayar: int = 0


@dataclass(frozen=True)
class SPTPembetulanDilaporkan(DomainEvent):
    """An amended return was filed (UU KUP Pasal 8)."""

    pembetulan_ke: int
    bpe: str
    dilaporkan_pada: datetime
    ntpn: str = ""
    dibayar: int = 0


@dataclass(frozen=True)
class SanksiDendaDitetapkan(DomainEvent):
    """The filing deadline passed without a return: the fine of the table in force on the
    first late day (UU KUP Pasal 7 ayat 1)."""

    jenis_spt: str
    nominal: int
    jatuh_tempo_lapor: date
    dasar_hukum: str
    ditetapkan_pada: date


EVENTS = (
    WajibPajakTerdaftar,
    TKUDidaftarkan,
    PKPDikukuhkan,
    PeninjauanWajibPajakDibuka,
    KodeBillingDibuat,
    KodeBillingKedaluwarsa,
    PembayaranDiterima,
    KewajibanMasaTimbul,
    SPTDisusun,
    SPTMenungguPembayaran,
    SPTDilaporkan,
    SPTPembetulanDilaporkan,
    SanksiDendaDitetapkan,
)
