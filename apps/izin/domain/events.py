"""Events of the izin context (OSS-RBA). Fields are the payload; NIK and names are personal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from apps.izin.domain.referensi import RisikoKBLIDicabut, RisikoKBLIDitetapkan
from egov.contracts.izin import (
    IzinDikirim,
    IzinDisetujui,
    IzinDisetujuiFiktifPositif,
    IzinDitolak,
    NIBDiterbitkan,
    PerbaikanDiminta,
    PermohonanIzinDibuat,
)
from egov.eventstore.domain import DomainEvent


# --- values the command looks up and passes in -----------------------------------------------
@dataclass(frozen=True)
class KetentuanRisiko:
    """One row of the KBLI risk table in force on the day of the application."""

    kbli_kode: str
    kbli_versi: str
    judul: str
    sektor: str
    tingkat: str
    otoritas: str


# --- events ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MenungguVerifikasiIdentitas(DomainEvent):
    """The applicant's NIK is not (yet) verified by Dukcapil: the application is held."""

    nik_hash: str


@dataclass(frozen=True)
class IdentitasPemohonTerverifikasi(DomainEvent):
    """The e-KTP context published the applicant's verification (``sumber`` = its event id)."""

    nik_hash: str
    sumber: str = ""


@dataclass(frozen=True)
class TingkatRisikoDitetapkan(DomainEvent):
    nib: str
    tingkat: str
    kbli_judul: str
    sektor: str
    otoritas: str
    tahap: str
    tenggat: date | None = None
    libur: tuple[str, ...] = ()  # holidays (ISO dates) the deadline skipped


@dataclass(frozen=True)
class PerbaikanDiajukan(DomainEvent):
    """The applicant's answer to a correction request; the stage's clock starts again."""

    keterangan: str
    tahap: str
    tenggat: date
    libur: tuple[str, ...] = ()
    lampiran_id: str = ""  # the uploaded document (LampiranPerbaikan), if any: never its bytes
    lampiran_sha256: str = ""


@dataclass(frozen=True)
class IzinDicabut(DomainEvent):
    alasan: str
    dasar_hukum: str
    petugas: str
    otoritas: str
    dicabut_pada: datetime


EVENTS = (
    NIBDiterbitkan,
    PermohonanIzinDibuat,
    MenungguVerifikasiIdentitas,
    IdentitasPemohonTerverifikasi,
    TingkatRisikoDitetapkan,
    IzinDisetujui,
    IzinDisetujuiFiktifPositif,
    IzinDitolak,
    PerbaikanDiminta,
    PerbaikanDiajukan,
    IzinDikirim,
    IzinDicabut,
    RisikoKBLIDitetapkan,
    RisikoKBLIDicabut,
)
