"""Events the izin context (OSS-RBA) publishes to other contexts: the contract.

Consumers import these classes, never string literals or copies of payloads. Personal fields
are removed from the payloads other contexts receive. Changing a field means a new
``schema_version`` with an upcaster in the producer (tests/contracts checks it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from egov.contracts import published
from egov.eventstore.domain import DomainEvent

CONTEXT = "izin"
PERORANGAN, BADAN_USAHA = "PERORANGAN", "BADAN_USAHA"  # who holds the NIB


@published(CONTEXT)
@dataclass(frozen=True)
class NIBDiterbitkan(DomainEvent):
    """A business (pelaku usaha) got its one NIB. Stream: the pelaku usaha. For an individual
    owner (``PERORANGAN``) ``nik_hash`` names them: bansos excludes business owners."""

    personal_fields = ("nik", "nama_pemilik")
    subject_field = "nik_hash"

    nib: str
    jenis_pelaku: str
    nama_usaha: str
    nik: str
    nik_hash: str
    nama_pemilik: str
    nomor_badan_usaha: str = ""


@published(CONTEXT)
@dataclass(frozen=True)
class PermohonanIzinDibuat(DomainEvent):
    """``nik`` is empty when the applicant is the signed-in citizen: their identity is their
    verified ``nik_hash`` and ``nik_masked`` is their account's masked NIK (display only)."""

    personal_fields = ("nik", "nama_pemohon", "nik_masked")
    subject_field = "nik_hash"

    pelaku_id: uuid.UUID
    jenis_pelaku: str
    nama_usaha: str
    nik: str
    nik_hash: str
    nama_pemohon: str
    kbli_kode: str
    kbli_versi: str
    kode_wilayah: str
    skala: str
    nilai_investasi: Decimal
    diajukan_oleh: str
    diajukan_pada: datetime
    nomor_badan_usaha: str = ""
    nik_masked: str = ""


@published(CONTEXT)
@dataclass(frozen=True)
class IzinDisetujui(DomainEvent):
    """Approved: automatically (R, MR), by a verifier (MT) or by an approver (T)."""

    tingkat: str
    jenis_keputusan: str  # NIB | SERTIFIKAT_STANDAR_MANDIRI | SERTIFIKAT_STANDAR | IZIN
    petugas: str
    otoritas: str
    dasar_hukum: str
    diputuskan_pada: datetime


@published(CONTEXT)
@dataclass(frozen=True)
class IzinDisetujuiFiktifPositif(DomainEvent):
    """The authority missed the stage's deadline: deemed approved (PP 28/2025)."""

    tingkat: str
    tahap: str
    tenggat: date
    dasar_hukum: str
    diputuskan_pada: datetime


@published(CONTEXT)
@dataclass(frozen=True)
class IzinDitolak(DomainEvent):
    alasan: str
    dasar_hukum: str
    petugas: str
    otoritas: str
    diputuskan_pada: datetime


@published(CONTEXT)
@dataclass(frozen=True)
class PerbaikanDiminta(DomainEvent):
    catatan: str
    tenggat: date
    petugas: str
    otoritas: str
    libur: tuple[str, ...] = ()


@published(CONTEXT)
@dataclass(frozen=True)
class IzinDikirim(DomainEvent):
    kode_verifikasi: str
    sha256: str
    dikirim_pada: datetime
