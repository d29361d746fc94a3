"""Events the e-KTP context (Dukcapil) publishes to other contexts: the contract.

Consumers (izin, pajak, bansos, notifications, the bus) import these classes, never string
literals or copies of payloads. Personal fields (``personal_fields``) are removed from the
payloads other contexts receive; they read the pseudonymous ``nik_hash``. Changing a field
means a new ``schema_version`` with an upcaster in the producer (tests/contracts checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.contracts import published
from egov.eventstore.domain import DomainEvent

DIAJUKAN, VERIFIED, DITOLAK, DICETAK = "DIAJUKAN", "VERIFIED", "DITOLAK", "DICETAK"
NONAKTIF, AKTIF = "NONAKTIF", "AKTIF"  # a NIK's own status (deactivated or not)
CONTEXT = "ktp"


@published(CONTEXT)
@dataclass(frozen=True)
class KTPDibuat(DomainEvent):
    personal_fields = ("nik", "nama", "tanggal_lahir")
    subject_field = "nik_hash"

    nik_hash: str
    nik: str
    nama: str
    tanggal_lahir: str
    pernah_kawin: bool
    jenis: str
    alasan: str
    kode_wilayah: str  # province+regency prefix of the NIK: for counts, not personal
    timestamp: str
    status: str = DIAJUKAN


@published(CONTEXT)
@dataclass(frozen=True)
class KTPDiverifikasi(DomainEvent):
    """Central deduplication found a single record: ready to print. Other contexts (izin)
    replicate verified identities from this event's ``nik_hash``."""

    personal_fields = ("nik",)
    subject_field = "nik_hash"

    nik_hash: str
    nik: str
    officer_id: str
    timestamp: str
    status: str = VERIFIED


@published(CONTEXT)
@dataclass(frozen=True)
class KTPDitolak(DomainEvent):
    subject_field = "nik_hash"

    nik_hash: str
    alasan: str
    officer_id: str
    timestamp: str
    status: str = DITOLAK


@published(CONTEXT)
@dataclass(frozen=True)
class KTPDicetak(DomainEvent):
    subject_field = "nik_hash"

    nik_hash: str
    nomor_blangko: str
    kartu_dibatalkan: str  # the previous card this one replaces ("" for a new card)
    officer_id: str
    timestamp: str
    status: str = DICETAK


@published(CONTEXT)
@dataclass(frozen=True)
class NIKDinonaktifkan(DomainEvent):
    """Dukcapil deactivated a NIK (``alasan``: MENINGGAL, GANDA or LAINNYA); appended by
    ``apps.ktp.commands.ktp_nonaktifkan_nik`` on the NIK's own stream. The officer's note
    (``keterangan``: a death certificate number, the other record) is personal data: sealed
    with the citizen's key and never sent to other contexts, so the public shape stays v1."""

    personal_fields = ("keterangan",)
    subject_field = "nik_hash"

    nik_hash: str
    alasan: str = ""
    keterangan: str = ""
    status: str = NONAKTIF


@published(CONTEXT)
@dataclass(frozen=True)
class NIKDiaktifkanKembali(DomainEvent):
    """Dukcapil reactivated a deactivated NIK (a death or duplicate recorded in error):
    consumers of ``NIKDinonaktifkan`` take the NIK as verified and active again. The note is
    personal, as in ``NIKDinonaktifkan``."""

    personal_fields = ("keterangan",)
    subject_field = "nik_hash"

    nik_hash: str
    keterangan: str = ""
    status: str = AKTIF
