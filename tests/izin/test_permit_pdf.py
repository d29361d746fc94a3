"""The permit PDF: every line inside the margins (the legal basis wraps instead of running off
the page), the business actor's and the business's names, and the absolute verification
address (``EGOV_SITE_URL``) as text and as a QR code image. The verification page it points
to answers a browser with HTML and an API client with JSON."""

import io
import re
import uuid
from datetime import UTC, datetime

import pytest
from django.test import override_settings
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from apps.izin import dokumen
from apps.izin.dokumen import DataDokumen, buat_pdf, qr_gambar, url_verifikasi
from apps.izin.models import DokumenIzinTerbit
from tests.izin.conftest import LOKET, NIK, ajukan, selesaikan, verifikasi_ktp

pytestmark = pytest.mark.django_db(databases="__all__")

DASAR_HUKUM = (
    "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko juncto Peraturan Menteri Investasi dan Hilirisasi/Kepala BKPM Nomor 5 "
    "Tahun 2025 tentang Pedoman dan Tata Cara Penyelenggaraan Perizinan Berusaha"
)
KODE = "ABCD-EFGH-JKLM"


def _data(**overrides) -> DataDokumen:
    values = {
        "permohonan_id": uuid.uuid4(),
        "nama_pelaku": "Sri Wahyuni",
        "nama_usaha": "Warung Bu Sri",
        "nib": "1234567890123",
        "kbli_kode": "56102",
        "kbli_judul": "Rumah/warung makan",
        "kode_wilayah": "3273",
        "tingkat": "R",
        "keputusan": "NIB",
        "otoritas": "Pemerintah Kabupaten/Kota (DPMPTSP)",
        "dasar_hukum": DASAR_HUKUM,
        "diputuskan_pada": datetime(2026, 11, 30, 3, 0, tzinfo=UTC),
    }
    return DataDokumen(**{**values, **overrides})


def _teks(pdf: bytes) -> str:
    """The page's text with line breaks and runs of spaces as one space."""
    [page] = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(page.extract_text().split())


@override_settings(EGOV_SITE_URL="https://oss.egov.go.id")
def test_the_document_shows_the_names_the_whole_legal_basis_and_the_absolute_address():
    teks = _teks(buat_pdf(_data(), KODE))

    assert "Nama pelaku usaha: Sri Wahyuni" in teks
    assert "Nama usaha: Warung Bu Sri" in teks
    assert DASAR_HUKUM in teks  # wrapped onto several lines, none of it cut off
    assert "https://oss.egov.go.id/api/v1/izin/verifikasi/ABCD-EFGH-JKLM/" in teks
    assert NIK not in teks


def test_every_line_stays_inside_the_page():
    pdf = buat_pdf(_data(nama_usaha="Usaha " * 30), KODE)
    [page] = PdfReader(io.BytesIO(pdf)).pages
    right_edge = float(page.mediabox.width) - float(dokumen.MARGIN)
    xs = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]  # the run's start on the page
            font = font_dict["/BaseFont"].lstrip("/")
            xs.append(x + stringWidth(text.rstrip(), font, font_size * tm[0]))

    page.extract_text(visitor_text=visitor)

    assert len(xs) > 20
    assert max(xs) <= right_edge + 0.5


@override_settings(EGOV_SITE_URL="https://oss.egov.go.id/")
def test_the_qr_code_is_an_image_of_the_verification_address():
    url = url_verifikasi(KODE)
    [page] = PdfReader(io.BytesIO(buat_pdf(_data(), KODE))).pages

    [image] = page.images

    assert url == "https://oss.egov.go.id/api/v1/izin/verifikasi/ABCD-EFGH-JKLM/"
    assert image.image.size == qr_gambar(url).size
    assert image.image.convert("1").tobytes() == qr_gambar(url).tobytes()
    assert qr_gambar(url).tobytes() != qr_gambar(url + "x").tobytes()


def test_the_delivered_document_names_the_applicant_read_from_the_event_store():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(principal=LOKET, nama_pemohon="Sri Wahyuni", nama_usaha="Warung Bu Sri")
    selesaikan()

    row = DokumenIzinTerbit.objects.get(permohonan_id=pid)
    teks = _teks(dokumen.buka_pdf(pid))

    assert "Nama pelaku usaha: Sri Wahyuni" in teks
    assert f"/api/v1/izin/verifikasi/{row.kode_verifikasi}/" in teks
    assert re.search(r"Dasar hukum: PP 28/2025 tentang Penyelenggaraan Perizinan", teks)


def test_the_verification_page_is_html_for_a_browser_and_json_for_an_api_client(client):
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(principal=LOKET)
    selesaikan()
    kode = DokumenIzinTerbit.objects.get(permohonan_id=pid).kode_verifikasi
    path = f"/api/v1/izin/verifikasi/{kode}/"

    page = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    data = client.get(path, HTTP_ACCEPT="application/json")

    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Dokumen asli dan berlaku." in page.content.decode()
    assert (data.status_code, data.json()["berlaku"], data.json()["nama_usaha"]) == (
        200,
        True,
        "Warung Bu Sri",
    )
