"""Read side only: plain data from ``ktp_read`` for the portal, the API and the admin."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy, gettext_noop

from apps.ktp.domain import (
    AKTIF,
    BARU,
    DIAJUKAN,
    DICETAK,
    DIREKAM,
    DISERAHKAN,
    DITOLAK,
    DUPLIKASI,
    GANDA,
    LAINNYA,
    MENINGGAL,
    NONAKTIF,
    PENGGANTIAN,
    PERUBAHAN_DATA,
    VERIFIED,
)
from apps.ktp.models import RiwayatKTP, StatusPermohonanKTP
from apps.ktp.roles import may_read
from egov.principals import NotVisible, Principal

MSG_TIDAK_DITEMUKAN = gettext_noop("Permohonan KTP tidak ditemukan.")

# What a person reads instead of a code (``{{ code|label }}`` in templates).
LABELS = {
    DIAJUKAN: gettext_lazy("Diajukan, menunggu perekaman biometrik"),
    DIREKAM: gettext_lazy("Biometrik direkam, diperiksa pusat"),
    VERIFIED: gettext_lazy("Terverifikasi, menunggu cetak"),
    DUPLIKASI: gettext_lazy("Diperiksa petugas (kemungkinan data ganda)"),
    DITOLAK: gettext_lazy("Ditolak"),
    DICETAK: gettext_lazy("Dicetak, siap diambil"),
    DISERAHKAN: gettext_lazy("Sudah diserahkan"),
    BARU: gettext_lazy("KTP-el baru"),
    PENGGANTIAN: gettext_lazy("Penggantian"),
    "HILANG": gettext_lazy("hilang"),
    "RUSAK": gettext_lazy("rusak"),
    PERUBAHAN_DATA: gettext_lazy("perubahan data"),
}
# A NIK's own status and why it was deactivated: kept out of ``LABELS`` (registered for
# every context) because other contexts use the same codes with other meanings (pajak's
# billing code is also AKTIF).
LABELS_NIK = {
    AKTIF: gettext_lazy("Aktif"),
    NONAKTIF: gettext_lazy("Nonaktif"),
    MENINGGAL: gettext_lazy("meninggal dunia"),
    GANDA: gettext_lazy("data ganda"),
    LAINNYA: gettext_lazy("lainnya"),
}

# Officers' work queues: the status a request waits in.
ANTREAN = {"rekam": "DIAJUKAN", "adjudikasi": "DUPLIKASI", "cetak": "VERIFIED", "serah": "DICETAK"}
KETERANGAN = {
    "KTPDibuat": gettext_noop("Permohonan diterima"),
    "BiometrikDirekam": gettext_noop("Biometrik direkam di loket"),
    "KTPDiverifikasi": gettext_noop("Data terverifikasi, masuk antrean cetak"),
    "DuplikasiTerdeteksi": gettext_noop("Kemungkinan data ganda, diperiksa petugas"),
    "KTPDitolak": gettext_noop("Permohonan ditolak"),
    "KTPDicetak": gettext_noop("KTP-el dicetak, siap diambil"),
    "KTPDiserahkan": gettext_noop("KTP-el telah diserahkan"),
}


def label(code: str) -> str:
    """The words for a ktp code (request or NIK status, type, reason); the code without."""
    found = LABELS.get(code) or LABELS_NIK.get(code)
    return str(found) if found is not None else code


@dataclass(frozen=True)
class StatusKTP:
    permohonan_id: uuid.UUID
    status: str
    jenis: str
    alasan: str
    nik_masked: str
    nama: str
    kode_provinsi: str
    nomor_blangko: str
    diajukan_oleh: str
    subject_id: str
    diajukan_pada: datetime
    diperbarui_pada: datetime
    status_nik: str = AKTIF  # NONAKTIF once Dukcapil deactivated the NIK


@dataclass(frozen=True)
class LangkahKTP:
    event_id: uuid.UUID
    jenis: str
    status: str
    keterangan: str
    officer_id: str
    pada: datetime


def _status(row: StatusPermohonanKTP) -> StatusKTP:
    return StatusKTP(
        row.permohonan_id,
        row.status,
        row.jenis,
        row.alasan,
        row.nik_masked,
        row.nama,
        row.kode_provinsi,
        row.nomor_blangko,
        row.diajukan_oleh,
        row.subject_id,
        row.diajukan_pada,
        row.diperbarui_pada,
        row.status_nik,
    )


def status_permohonan(permohonan_id: uuid.UUID) -> StatusKTP | None:
    row = StatusPermohonanKTP.objects.filter(permohonan_id=permohonan_id).first()
    return _status(row) if row else None


def status_untuk(principal: Principal, permohonan_id: uuid.UUID) -> StatusKTP:
    """The request as this principal may see it; a request they may not see does not exist
    for them (the same 404 as a missing one, so existence leaks nothing)."""
    status = status_permohonan(permohonan_id)
    if status is None or not may_read(
        principal, subject_id=status.subject_id, submitted_by=status.diajukan_oleh
    ):
        raise NotVisible(MSG_TIDAK_DITEMUKAN)
    return status


def permohonan_warga(subject_id: str) -> list[StatusKTP]:
    rows = StatusPermohonanKTP.objects.filter(subject_id=subject_id).order_by("-diajukan_pada")
    return [_status(row) for row in rows]


def riwayat(permohonan_id: uuid.UUID) -> list[LangkahKTP]:
    rows = RiwayatKTP.objects.filter(permohonan_id=permohonan_id).order_by("urutan")
    return [
        LangkahKTP(
            r.event_id, r.jenis, r.status, KETERANGAN.get(r.jenis, r.jenis), r.officer_id, r.pada
        )
        for r in rows
    ]


def antrean(nama: str):
    """A work queue as a queryset of read rows (for paginated, filtered lists)."""
    return StatusPermohonanKTP.objects.filter(status=ANTREAN[nama]).order_by("diajukan_pada")


def semua_permohonan():
    return StatusPermohonanKTP.objects.order_by("-diajukan_pada")


def jumlah_per_provinsi_status() -> list[dict]:
    rows = (
        StatusPermohonanKTP.objects.values("kode_provinsi", "status")
        .annotate(jumlah=Count("permohonan_id"))
        .order_by("kode_provinsi", "status")
    )
    return list(rows)
