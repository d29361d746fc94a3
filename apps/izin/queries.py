"""Read side of the izin context: plain data from ``izin_read`` only."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from apps.izin.domain.rules import (
    DICABUT,
    DISETUJUI,
    DITOLAK,
    MENENGAH_RENDAH,
    MENENGAH_TINGGI,
    MENUNGGU_IDENTITAS,
    PERBAIKAN,
    PERSETUJUAN,
    RENDAH,
    TAHAP_PETUGAS,
    TINGGI,
    VERIFIKASI,
)
from apps.izin.models import IzinStatus, RiwayatIzin
from apps.izin.roles import may_read
from egov import clock
from egov.harikerja import sisa_hari_kerja
from egov.principals import NotVisible, Principal

# What a person reads instead of a code (``{{ code|label }}`` in templates).
LABELS = {
    MENUNGGU_IDENTITAS: gettext_lazy("Menunggu verifikasi identitas oleh Dukcapil"),
    VERIFIKASI: gettext_lazy("Menunggu verifikasi petugas"),
    PERSETUJUAN: gettext_lazy("Menunggu persetujuan petugas"),
    PERBAIKAN: gettext_lazy("Perlu perbaikan dari Anda"),
    DISETUJUI: gettext_lazy("Disetujui"),
    DITOLAK: gettext_lazy("Ditolak"),
    DICABUT: gettext_lazy("Dicabut"),
    RENDAH: gettext_lazy("Rendah"),
    MENENGAH_RENDAH: gettext_lazy("Menengah rendah"),
    MENENGAH_TINGGI: gettext_lazy("Menengah tinggi"),
    TINGGI: gettext_lazy("Tinggi"),
    "MIKRO": gettext_lazy("Mikro"),
    "KECIL": gettext_lazy("Kecil"),
    "MENENGAH": gettext_lazy("Menengah"),
    "BESAR": gettext_lazy("Besar"),
}
MSG_TIDAK_DITEMUKAN = gettext_noop("Permohonan izin tidak ditemukan.")

# A timeline step's label, by its kind: worded when read, in the reader's language (the read
# table keeps only the kind and the detail as typed).
LANGKAH = {
    "PermohonanIzinDibuat": gettext_noop("Permohonan izin diajukan"),
    "MenungguVerifikasiIdentitas": gettext_noop("Menunggu verifikasi identitas (Dukcapil)"),
    "IdentitasPemohonTerverifikasi": gettext_noop("Identitas pemohon terverifikasi"),
    "TingkatRisikoDitetapkan": gettext_noop("Tingkat risiko ditetapkan"),
    "IzinDisetujui": gettext_noop("Izin disetujui"),
    "IzinDisetujuiFiktifPositif": gettext_noop(
        "Izin disetujui (fiktif positif: tenggat terlampaui)"
    ),
    "IzinDitolak": gettext_noop("Izin ditolak"),
    "PerbaikanDiminta": gettext_noop("Perbaikan diminta"),
    "PerbaikanDiajukan": gettext_noop("Perbaikan diajukan"),
    "IzinDikirim": gettext_noop("Dokumen izin dikirim"),
    "IzinDicabut": gettext_noop("Izin dicabut"),
}
LAMPIRAN = gettext_noop("dokumen terlampir,")


@dataclass(frozen=True)
class StatusIzin:
    permohonan_id: uuid.UUID
    subject_id: str
    nik_masked: str
    nama_pemohon: str
    jenis_pelaku: str
    nama_usaha: str
    nib: str
    kbli_kode: str
    kbli_versi: str
    kbli_judul: str
    sektor: str
    kode_wilayah: str
    skala: str
    nilai_investasi: Decimal
    tingkat_risiko: str
    otoritas: str
    tahap: str
    tenggat: date | None
    sisa_hari_kerja: int | None
    keputusan: str
    catatan: str
    dasar_hukum: str
    petugas: str
    diajukan_oleh: str
    diajukan_pada: datetime
    diputuskan_pada: datetime | None
    kode_verifikasi: str
    dikirim_pada: datetime | None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LangkahRiwayat:
    """A timeline step: ``judul`` is its label in the active language, ``rincian`` the
    detail as typed (an officer's reason, the applicant's answer), ``keterangan`` both."""

    urutan: int
    jenis: str
    judul: str
    rincian: str
    keterangan: str
    aktor: str
    pada: datetime


def _status(row: IzinStatus, hari_ini: date) -> StatusIzin:
    fields = {f: getattr(row, f) for f in StatusIzin.__dataclass_fields__ if hasattr(row, f)}
    libur = frozenset(date.fromisoformat(d) for d in row.libur or ())
    sisa = sisa_hari_kerja(hari_ini, row.tenggat, libur) if row.tenggat else None
    return StatusIzin(**fields, sisa_hari_kerja=sisa)


def status_izin(permohonan_id: uuid.UUID) -> StatusIzin | None:
    row = IzinStatus.objects.filter(permohonan_id=permohonan_id).first()
    return _status(row, clock.today()) if row else None


def status_untuk(principal: Principal, permohonan_id: uuid.UUID) -> StatusIzin:
    """The application as this principal may see it; one they may not see does not exist for
    them (the same 404 as a missing one)."""
    found = status_izin(permohonan_id)
    if found is None or not may_read(
        principal,
        subject_id=found.subject_id,
        submitted_by=found.diajukan_oleh,
        kode_wilayah=found.kode_wilayah,
    ):
        raise NotVisible(MSG_TIDAK_DITEMUKAN)
    return found


def _langkah(row: RiwayatIzin) -> LangkahRiwayat:
    judul = gettext(LANGKAH[row.jenis]) if row.jenis in LANGKAH else row.jenis
    rincian = row.keterangan
    if row.lampiran_sha256:  # a correction's document: named by its hash, never shown
        lampiran = f"[{gettext(LAMPIRAN)} SHA-256 {row.lampiran_sha256[:12]}…]"
        rincian = f"{rincian} {lampiran}" if rincian else lampiran
    keterangan = f"{judul}: {rincian}" if rincian else judul
    return LangkahRiwayat(row.urutan, row.jenis, judul, rincian, keterangan, row.aktor, row.pada)


def riwayat_izin(permohonan_id: uuid.UUID) -> list[LangkahRiwayat]:
    """The timeline in the active language (labels from each step's kind)."""
    rows = RiwayatIzin.objects.filter(permohonan_id=permohonan_id).order_by("urutan")
    return [_langkah(r) for r in rows]


@dataclass(frozen=True)
class LampiranTercatat:
    """A correction document as the timeline knows it: its id (to open it from the document
    store), hash and time; never its bytes or its name."""

    id: uuid.UUID
    sha256: str
    pada: datetime


def lampiran_perbaikan(permohonan_id: uuid.UUID) -> list[LampiranTercatat]:
    rows = RiwayatIzin.objects.filter(permohonan_id=permohonan_id, lampiran_id__isnull=False)
    return [
        LampiranTercatat(r.lampiran_id, r.lampiran_sha256, r.pada) for r in rows.order_by("urutan")
    ]


def izin_milik(subject_id: str) -> list[StatusIzin]:
    """A citizen's own applications (their NIK hash as subject)."""
    rows = IzinStatus.objects.filter(subject_id=subject_id).order_by("-diajukan_pada")
    hari_ini = clock.today()
    return [_status(r, hari_ini) for r in rows]


def izin_portal(subject_id: str) -> list[dict]:
    """The citizen's home page section."""
    return [s.as_dict() for s in izin_milik(subject_id)]


def antrean_petugas(
    *,
    tahap: str | None = None,
    otoritas: str | None = None,
    tingkat: str | None = None,
    wilayah: str = "",
) -> list[StatusIzin]:
    """Officer queue: applications waiting for an authority, nearest deadline first, within
    the officer's region (``wilayah`` prefix; "" = national)."""
    rows = IzinStatus.objects.filter(
        tahap__in=[tahap] if tahap else TAHAP_PETUGAS, kode_wilayah__startswith=wilayah
    )
    if otoritas:
        rows = rows.filter(otoritas=otoritas)
    if tingkat:
        rows = rows.filter(tingkat_risiko=tingkat)
    hari_ini = clock.today()
    return [_status(r, hari_ini) for r in rows.order_by("tenggat", "diajukan_pada")]


def ringkasan_antrean() -> list[dict]:
    """Queue sizes per authority and risk level."""
    rows = IzinStatus.objects.filter(tahap__in=TAHAP_PETUGAS)
    grouped = rows.values("otoritas", "tingkat_risiko", "tahap").annotate(jumlah=Count("pk"))
    return list(grouped.order_by("otoritas", "tingkat_risiko"))


def statistik_sektor_wilayah() -> list[dict]:
    """Applications per KBLI sector and province (first two digits of the region code)."""
    rows = IzinStatus.objects.annotate(provinsi=Substr("kode_wilayah", 1, 2))
    grouped = rows.values("sektor", "provinsi").annotate(jumlah=Count("pk"))
    return list(grouped.order_by("sektor", "provinsi"))


def verifikasi_dokumen(kode: str) -> dict | None:
    """Public check of a permit document: what it must say, if the code is genuine."""
    row = IzinStatus.objects.filter(kode_verifikasi=kode.strip().upper()).first()
    if row is None or not kode.strip():
        return None
    return {
        "nib": row.nib,
        "nama_usaha": row.nama_usaha,
        "kbli_kode": row.kbli_kode,
        "kbli_judul": row.kbli_judul,
        "tingkat_risiko": row.tingkat_risiko,
        "keputusan": row.keputusan,
        "tahap": row.tahap,
        "diputuskan_pada": row.diputuskan_pada,
        "sha256": row.dokumen_sha256,
        "berlaku": row.tahap == "DISETUJUI",
    }
