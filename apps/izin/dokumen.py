"""The permit document: a PDF with the NIB, the business actor's and the business's names,
KBLI, risk level, decision, date, legal basis, and a verification code with its absolute URL
(``EGOV_SITE_URL``) printed and as a QR code, so anyone holding the paper can check it.

The business actor's name is personal data: it is read from izin's event store (decrypted
with the applicant's own key) when the document is made; the NIK is never printed. Long
values (the legal basis, a long business name) wrap inside the margins (platypus).
"""

from __future__ import annotations

import io
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from PIL import Image as PILImage
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.izin.domain.events import (
    IzinDisetujui,
    IzinDisetujuiFiktifPositif,
    PermohonanIzinDibuat,
    TingkatRisikoDitetapkan,
)
from apps.izin.models import (
    DokumenIzin,
    DokumenIzinTerbit,
    LampiranPerbaikan,
    dokumen_associated,
    lampiran_associated,
)
from apps.izin.store import store
from egov.eventstore.domain import is_erased

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
MSG_DOKUMEN_DIHAPUS = gettext_noop("Dokumen telah dihapus atas permintaan pemilik data.")
ALFABET_KODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
MARGIN = 20 * mm
QR_SISI = 32 * mm
QR_PIKSEL_PER_MODUL = 8  # a crisp bitmap whatever the viewer's scaling


@dataclass(frozen=True)
class DataDokumen:
    permohonan_id: uuid.UUID
    nama_pelaku: str  # the applicant (business actor); personal, from the event store
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
    nama_pelaku = "" if is_erased(dibuat.nama_pemohon) else dibuat.nama_pemohon
    return DataDokumen(
        permohonan_id=permohonan_id,
        nama_pelaku=nama_pelaku,
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


def url_verifikasi(kode_verifikasi: str) -> str:
    """The absolute address of the public verification page of a document."""
    path = reverse("izin_api:verifikasi", kwargs={"kode": kode_verifikasi})
    return f"{settings.EGOV_SITE_URL.rstrip('/')}{path}"


def qr_gambar(teks: str) -> PILImage.Image:
    """A QR code of ``teks`` as a black-and-white bitmap (with its 4-module quiet zone)."""
    widget = QrCodeWidget(teks, barLevel="M")
    widget.qr.make()
    modul = widget.qr.modules
    sisi = len(modul) + 8
    gambar = PILImage.new("1", (sisi, sisi), 1)
    for baris, isi in enumerate(modul):
        for kolom, gelap in enumerate(isi):
            if gelap:
                gambar.putpixel((kolom + 4, baris + 4), 0)
    skala = sisi * QR_PIKSEL_PER_MODUL
    return gambar.resize((skala, skala), PILImage.Resampling.NEAREST)


def _gaya() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "judul": ParagraphStyle("judul", parent=base["Title"], fontSize=16, alignment=0),
        "label": ParagraphStyle("label", parent=base["Normal"], fontSize=10.5, leading=14),
        "isi": ParagraphStyle("isi", parent=base["Normal"], fontSize=10.5, leading=14),
        "catatan": ParagraphStyle("catatan", parent=base["Italic"], fontSize=9, leading=12),
        "url": ParagraphStyle(
            "url", parent=base["Code"], fontSize=9, leading=12, wordWrap="CJK", leftIndent=0
        ),
    }


def _baris(data: DataDokumen, kode_verifikasi: str) -> list[tuple[str, str]]:
    tanggal = timezone.localtime(data.diputuskan_pada).strftime("%d-%m-%Y")
    return [
        ("Nomor Induk Berusaha (NIB)", data.nib),
        ("Nama pelaku usaha", data.nama_pelaku or "-"),
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


def buat_pdf(data: DataDokumen, kode_verifikasi: str) -> bytes:
    """The document, every value wrapped within the margins; the verification address as
    text and as a QR code beside it."""
    buffer = io.BytesIO()
    gaya = _gaya()
    lebar = A4[0] - 2 * MARGIN
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Perizinan Berusaha {data.nib}",
        invariant=True,
    )
    isi = [
        [Paragraph(escape(f"{label}:"), gaya["label"]), Paragraph(escape(str(v)), gaya["isi"])]
        for label, v in _baris(data, kode_verifikasi)
    ]
    tabel = Table(isi, colWidths=[55 * mm, lebar - 55 * mm])
    tabel.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    url = url_verifikasi(kode_verifikasi)
    png = io.BytesIO()
    qr_gambar(url).save(png, format="PNG")
    png.seek(0)
    qr = Image(png, width=QR_SISI, height=QR_SISI)
    teks_url = [
        Paragraph(
            "Periksa keaslian dokumen ini dengan memindai kode QR atau membuka alamat berikut:",
            gaya["catatan"],
        ),
        Paragraph(escape(url), gaya["url"]),  # may break anywhere: an address has no spaces
    ]
    verifikasi = Table([[qr, teks_url]], colWidths=[QR_SISI + 6 * mm, lebar - QR_SISI - 6 * mm])
    verifikasi.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    doc.build(
        [
            Paragraph("PERIZINAN BERUSAHA BERBASIS RISIKO", gaya["judul"]),
            Spacer(1, 6 * mm),
            tabel,
            Spacer(1, 10 * mm),
            verifikasi,
        ]
    )
    return buffer.getvalue()


class DokumenDihapus(Exception):
    """The document's owner was erased (UU PDP): its key is destroyed, the bytes are gone."""

    message = MSG_DOKUMEN_DIHAPUS


def ambil_dokumen(permohonan_id: uuid.UUID) -> tuple[bytes, str] | None:
    """The issued PDF and its verification code; None if none was issued yet,
    ``DokumenDihapus`` if its owner was erased.

    Whether a document was issued (and its code) is a query: the read side
    (``DokumenIzinTerbit``). The bytes come from the document store (``buka_pdf``)."""
    row = DokumenIzinTerbit.objects.filter(permohonan_id=permohonan_id).first()
    if row is None:
        return None
    pdf = buka_pdf(permohonan_id)
    if pdf is None:
        raise DokumenDihapus(permohonan_id)
    return pdf, row.kode_verifikasi


def buka_pdf(permohonan_id: uuid.UUID) -> bytes | None:
    """Open one sealed permit PDF by id: the document store (``DokumenIzin``, a blob table on
    izin's database next to the applicant's key that seals it), not a query. None once the
    applicant's key is destroyed. Tampered or moved bytes fail loudly (``InvalidTag``)."""
    row = (
        DokumenIzin.objects.using("izin")
        .filter(permohonan_id=permohonan_id)
        .only("subject_id", "pdf")
        .first()
    )
    if row is None:
        return None
    return store.codec.open_bytes(
        row.subject_id, bytes(row.pdf), associated=dokumen_associated(permohonan_id)
    )


@dataclass(frozen=True)
class Lampiran:
    isi: bytes | None  # None once the applicant's key is destroyed
    jenis_media: str
    subject_id: str


def buka_lampiran(permohonan_id: uuid.UUID, lampiran_id: uuid.UUID) -> Lampiran | None:
    """Open one sealed correction document by id from the document store (the read side's
    timeline says which application has which). None if there is no such document for
    this application."""
    row = (
        LampiranPerbaikan.objects.using("izin")
        .filter(pk=lampiran_id, permohonan_id=permohonan_id)
        .only("subject_id", "isi", "jenis_media")
        .first()
    )
    if row is None:
        return None
    isi = store.codec.open_bytes(
        row.subject_id, bytes(row.isi), associated=lampiran_associated(lampiran_id)
    )
    return Lampiran(isi=isi, jenis_media=row.jenis_media, subject_id=row.subject_id)


def pdf_response(pdf: bytes, kode: str) -> HttpResponse:
    """The permit document as a download (portal and API alike)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="izin-{kode}.pdf"'
    return response
