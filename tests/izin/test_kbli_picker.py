"""The KBLI picker: a public search over izin's KBLI risk table (``GET /api/v1/izin/kbli/``),
a text input with a datalist filled by a script file (no inline script: CSP), and, without
JavaScript, a typed code checked by the form with a clear message."""

import re
from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.izin.commands import terbitkan_referensi
from apps.izin.domain.rules import MSG_KBLI_TIDAK_VALID
from apps.izin.models import RisikoKBLI
from apps.izin.referensi import PENJELASAN_TINGKAT
from egov import clock
from egov.eventstore.projections import get_projector, run_projector
from tests.izin.conftest import NIK, peristiwa_permohonan
from tests.principals import citizen

pytestmark = [
    pytest.mark.django_db(databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the portal form's KBLI check reads the copy
]

FORM = {
    "nama_pemohon": "Sri Wahyuni",
    "jenis_pelaku": "PERORANGAN",
    "nama_usaha": "Warung Bu Sri",
    "kbli_kode": "56102",
    "kbli_versi": "2020",
    "kode_wilayah": "327301",  # a district: the portal asks where the business is
    "skala": "MIKRO",
    "nilai_investasi": "50000000",
}


def _publish() -> None:
    terbitkan_referensi()
    run_projector(get_projector("izin.referensi"))


def _search(query: str = "", **params) -> tuple[int, object]:
    response = APIClient().get("/api/v1/izin/kbli/", {"q": query, **params})
    return response.status_code, response.json()


def test_anyone_finds_an_activity_by_title_with_its_risk_per_scale_explained():
    status, found = _search("roti")

    assert status == 200
    assert found == [
        {
            "kode": "10710",
            "versi": "2020",
            "judul": "Industri produk roti dan kue",
            "sektor": "Perindustrian",
            "risiko": [
                {
                    "skala": skala,
                    "tingkat": tingkat,
                    "tingkat_nama": nama,
                    "penjelasan": str(PENJELASAN_TINGKAT[tingkat]),
                    "otoritas": "Kementerian Perindustrian",
                }
                for skala, tingkat, nama in (
                    ("MIKRO", "MR", "Menengah Rendah"),
                    ("KECIL", "MR", "Menengah Rendah"),
                    ("MENENGAH", "MR", "Menengah Rendah"),
                    ("BESAR", "MT", "Menengah Tinggi"),  # the scale-specific row wins
                )
            ],
        }
    ]


def test_the_risk_levels_are_explained_in_words():
    assert str(PENJELASAN_TINGKAT["R"]).startswith("Cukup NIB")
    assert "pernyataan mandiri" in str(PENJELASAN_TINGKAT["MR"])
    assert "diverifikasi oleh instansi berwenang" in str(PENJELASAN_TINGKAT["MT"])
    assert "disetujui oleh instansi berwenang" in str(PENJELASAN_TINGKAT["T"])


def test_an_activity_is_found_by_the_start_of_its_code_or_by_its_sector():
    assert [k["kode"] for k in _search("561")[1]] == ["56101", "56102"]
    assert [k["kode"] for k in _search("kesehatan")[1]] == ["21012", "47722", "86105"]
    assert _search("tidak ada usaha seperti ini") == (200, [])


def test_rows_not_in_force_today_are_not_offered():
    today = clock.today()
    RisikoKBLI.objects.using("izin").filter(kode="96011").update(
        berlaku_sampai=date(today.year - 1, 1, 1)
    )
    RisikoKBLI.objects.using("izin").create(
        kode="99999",
        judul="Kegiatan masa depan",
        sektor="Uji",
        tingkat="R",
        otoritas="Uji",
        berlaku_mulai=date(today.year + 1, 1, 1),
    )

    _publish()

    assert _search("96011") == (200, [])
    assert _search("99999") == (200, [])


def test_another_kbli_version_has_its_own_rows_and_an_unknown_version_is_refused():
    assert _search("roti", versi="2025") == (200, [])
    status, body = _search("roti", versi="1999")
    assert status == 400
    assert "versi" in body


def test_the_form_offers_a_datalist_filled_by_a_script_file_and_no_inline_script():
    browser = Client()
    browser.force_login(citizen("sri", NIK))

    response = browser.get("/izin/ajukan/")

    page = response.content.decode()
    assert 'list="id_kbli_kode-daftar"' in page
    assert '<datalist id="id_kbli_kode-daftar">' in page
    assert 'data-kbli-cari="/api/v1/izin/kbli/"' in page
    assert '<script src="/static/izin/kbli.js" defer></script>' in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # every script is a file
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert browser.get("/static/izin/kbli.js").status_code == 200


@pytest.mark.parametrize(
    ("kode", "message"),
    [
        ("99999", "Kode KBLI 99999 tidak dikenal dalam tabel risiko KBLI 2020."),
        ("12ab", MSG_KBLI_TIDAK_VALID),
    ],
)
def test_without_javascript_a_typed_code_is_checked_with_a_clear_message(kode, message):
    browser = Client()
    browser.force_login(citizen("sri", NIK))

    response = browser.post("/izin/ajukan/", {**FORM, "kbli_kode": kode})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not peristiwa_permohonan().exists()
