"""The permit document: a PDF with the NIB, KBLI, risk level, decision, date and a
verification code. No personal data (no NIK, no name of the person) is printed."""

from __future__ import annotations

import io
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from apps.izin.domain.events import (
    IzinDisetujui,
    IzinDisetujuiFiktifPositif,
    PermohonanIzinDibuat,
    TingkatRisikoDitetapkan,
)
from apps.izin.models import DokumenIzinTerbit
from apps.izin.store import store

NAMA_TINGKAT = {
    "R": "Rendah",
    "MR": "Menengah Rendah",
    "MT": "Menengah Tinggi",
    "T": "Tinggi",
}
NAMA_KEPUTUSAN = {
    "NIB": "Nomor Induk Berusaha (berlaku sebagai izin)",
    "SERTIFIKAT_STANDAR_MANDIRI": "NIB dan Sertifikat Standar (pernyataan mandiri)",
    "SERTIFIKAT_STANDAR": "NIB dan Sertifikat Standar terverifikasi",
    "IZIN": "NIB dan Izin",
    "FIKTIF_POSITIF": "Disetujui karena tenggat layanan terlampaui (fiktif positif)",
}
ALFABET_KODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


@dataclass(frozen=True)
class DataDokumen:
    permohonan_id: uuid.UUID
    nama_usaha: str
    nib: str
    kbli_kode: str
    kbli_judul: str
    kode_wilayah: str
    tingkat: str
    keputusan: str
    otoritas: str
    dasar_hukum: str
    diputuskan_pada: datetime


def kode_verifikasi_baru() -> str:
    raw = "".join(secrets.choice(ALFABET_KODE) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def data_dokumen(permohonan_id: uuid.UUID) -> DataDokumen:
    """What the document states, from the application's own events."""
    events = [r.event for r in store.load(permohonan_id)]
    dibuat = next(e for e in events if isinstance(e, PermohonanIzinDibuat))
    risiko = next(e for e in events if isinstance(e, TingkatRisikoDitetapkan))
    putusan = next(
        e for e in reversed(events) if isinstance(e, IzinDisetujui | IzinDisetujuiFiktifPositif)
    )
    keputusan = putusan.jenis_keputusan if isinstance(putusan, IzinDisetujui) else "FIKTIF_POSITIF"
    return DataDokumen(
        permohonan_id=permohonan_id,
        nama_usaha=dibuat.nama_usaha,
        nib=risiko.nib,
        kbli_kode=dibuat.kbli_kode,
        kbli_judul=risiko.kbli_judul,
        kode_wilayah=dibuat.kode_wilayah,
        tingkat=risiko.tingkat,
        keputusan=keputusan,
        otoritas=risiko.otoritas,
        dasar_hukum=putusan.dasar_hukum,
        diputuskan_pada=putusan.diputuskan_pada,
    )


def buat_pdf(data: DataDokumen, kode_verifikasi: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    pdf.setTitle(f"Perizinan Berusaha {data.nib}")
    height = A4[1]
    y = height - 72
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, y, "PERIZINAN BERUSAHA BERBASIS RISIKO")
    pdf.setFont("Helvetica", 11)
    tanggal = timezone.localtime(data.diputuskan_pada).strftime("%d-%m-%Y")
    lines = [
        ("Nomor Induk Berusaha (NIB)", data.nib),
        ("Nama usaha", data.nama_usaha),
        ("KBLI", f"{data.kbli_kode} - {data.kbli_judul}"),
        ("Lokasi (kode wilayah)", data.kode_wilayah),
        ("Tingkat risiko", f"{data.tingkat} ({NAMA_TINGKAT.get(data.tingkat, '')})"),
        ("Keputusan", NAMA_KEPUTUSAN.get(data.keputusan, data.keputusan)),
        ("Diterbitkan oleh", data.otoritas),
        ("Tanggal keputusan", tanggal),
        ("Dasar hukum", data.dasar_hukum),
        ("Kode verifikasi", kode_verifikasi),
    ]
    y -= 36
    for label, value in lines:
        pdf.drawString(72, y, f"{label}:")
        pdf.drawString(250, y, str(value)[:60])
        y -= 20
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(72, 72, f"Periksa keaslian: /api/v1/izin/verifikasi/{kode_verifikasi}/")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def ambil_dokumen(permohonan_id: uuid.UUID) -> tuple[bytes, str] | None:
    """The issued PDF and its verification code, from the read side."""
    row = DokumenIzinTerbit.objects.filter(permohonan_id=permohonan_id).first()
    return (bytes(row.pdf), row.kode_verifikasi) if row else None


def pdf_response(pdf: bytes, kode: str) -> HttpResponse:
    """The permit document as a download (portal and API alike)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="izin-{kode}.pdf"'
    return response
