"""The region picker (egov.wilayah_forms.WilayahField) as the permit application uses it: the
business location is a district or a village (as OSS-RBA records it), checked against the
Kemendagri table; typing the code works without JavaScript."""

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from apps.izin.models import IzinEvent
from egov.wilayah_forms import WilayahField
from tests.izin.conftest import NIK, peristiwa_permohonan, selesaikan, verifikasi_ktp
from tests.principals import citizen, session_client

TINGKAT_LOKASI = ("kecamatan", "kelurahan")


class LokasiForm(forms.Form):
    kode_wilayah = WilayahField(tingkat=TINGKAT_LOKASI, label="Lokasi usaha")


def _clean(kode: str) -> tuple[dict, dict]:
    # In Indonesian whatever language an earlier test's request left active in this thread.
    with translation.override("id"):
        form = LokasiForm({"kode_wilayah": kode})
        form.is_valid()
        return form.cleaned_data, form.errors.get_json_data()


@pytest.mark.parametrize(
    ("typed", "kode"),
    [
        ("327301", "327301"),  # Sukasari, Kota Bandung
        ("32.73.01", "327301"),  # as printed with dots
        (" 3273011001 ", "3273011001"),  # Sukarasa, a village
        ("32.73.01.1001", "3273011001"),
    ],
)
def test_a_known_district_or_village_is_accepted_as_digits(typed, kode):
    assert _clean(typed) == ({"kode_wilayah": kode}, {})


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("329901", "Kode wilayah 329901 tidak dikenal dalam tabel wilayah Kemendagri."),
        ("3273019999", "Kode wilayah 3273019999 tidak dikenal dalam tabel wilayah Kemendagri."),
        ("Bandung", "Kode wilayah Bandung tidak dikenal dalam tabel wilayah Kemendagri."),
    ],
)
def test_an_unknown_code_is_refused_in_indonesian(typed, message):
    assert _clean(typed) == (
        {},
        {"kode_wilayah": [{"message": message, "code": "wilayah_tidak_dikenal"}]},
    )


@pytest.mark.parametrize(
    ("typed", "tingkat"),
    [("3273", "kabupaten/kota"), ("32", "provinsi")],
)
def test_a_region_too_coarse_for_a_business_location_is_refused(typed, tingkat):
    message = f"Kode wilayah {typed} adalah {tingkat}; pilih kecamatan atau kelurahan/desa."

    assert _clean(typed) == (
        {},
        {"kode_wilayah": [{"message": message, "code": "wilayah_tingkat_lain"}]},
    )


def test_the_input_carries_its_datalist_the_search_and_the_chosen_name():
    html = str(LokasiForm({"kode_wilayah": "327301"})["kode_wilayah"])

    assert '<input type="text" name="kode_wilayah" value="327301"' in html
    assert 'list="id_kode_wilayah-pilihan"' in html
    assert 'data-wilayah-url="/api/v1/wilayah/"' in html
    assert 'data-wilayah-tingkat="kecamatan kelurahan"' in html
    assert 'maxlength="13"' in html
    assert html.endswith(
        '<datalist id="id_kode_wilayah-pilihan"></datalist>'
        '<span id="id_kode_wilayah-nama" aria-live="polite">'
        "Sukasari, Kota Bandung, Jawa Barat</span>"
        '<script src="/static/egov/wilayah.js" defer></script>'
    )


def test_an_unknown_value_shows_no_name_and_is_escaped():
    html = str(LokasiForm({"kode_wilayah": "<b>99</b>"})["kode_wilayah"])

    assert '<span id="id_kode_wilayah-nama" aria-live="polite"></span>' in html
    assert 'value="&lt;b&gt;99&lt;/b&gt;"' in html


def test_a_level_that_does_not_exist_is_a_programming_error():
    with pytest.raises(ValueError, match="tingkat must be some of"):
        WilayahField(tingkat="desa")


# --- the permit application: portal form and API -------------------------------------------

uses_databases = pytest.mark.django_db(databases="__all__")
FORM = {
    "nama_pemohon": "Sri Wahyuni",
    "jenis_pelaku": "PERORANGAN",
    "nama_usaha": "Warung Bu Sri",
    "kbli_kode": "56102",
    "kbli_versi": "2020",
    "kode_wilayah": "32.73.01.1001",  # Sukarasa, typed with its dots
    "skala": "MIKRO",
    "nilai_investasi": "50000000",
}


def _created() -> list[str]:
    rows = IzinEvent.objects.filter(event_type="PermohonanIzinDibuat")
    return [row.payload["kode_wilayah"] for row in rows]


def _sri() -> Client:
    verifikasi_ktp(NIK)
    selesaikan()
    client = Client()
    client.force_login(citizen("sri", NIK))
    return client


@uses_databases
@pytest.mark.usefixtures("kbli_terbit")
def test_the_application_form_records_the_village_as_digits():
    response = _sri().post("/izin/ajukan/", FORM)

    assert response.status_code == 302
    assert _created() == ["3273011001"]


@uses_databases
@pytest.mark.parametrize(
    ("kode", "message"),
    [
        ("329901", "Kode wilayah 329901 tidak dikenal dalam tabel wilayah Kemendagri."),
        ("3273", "Kode wilayah 3273 adalah kabupaten/kota; pilih kecamatan atau kelurahan/desa."),
    ],
)
def test_the_application_form_refuses_an_unknown_or_too_coarse_location(kode, message):
    response = _sri().post("/izin/ajukan/", {**FORM, "kode_wilayah": kode})

    assert response.status_code == 200
    assert response.context["form"].errors["kode_wilayah"] == [message]
    assert _created() == []


@uses_databases
def test_the_api_answers_400_for_an_unknown_code_and_writes_nothing():
    client = session_client(citizen("sri", NIK))

    response = client.post("/api/v1/izin/", {**FORM, "kode_wilayah": "9999"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "kode_wilayah": ["Kode wilayah 9999 tidak dikenal dalam tabel wilayah Kemendagri."]
    }
    assert not peristiwa_permohonan().exists()


@uses_databases
@pytest.mark.parametrize(("kode", "stored"), [("3273", "3273"), ("32.73.01", "327301")])
def test_the_api_still_takes_a_regency_as_integrators_sent_it(kode, stored):
    client = session_client(citizen("sri", NIK))

    response = client.post("/api/v1/izin/", {**FORM, "kode_wilayah": kode}, format="json")

    assert response.status_code == 202
    assert _created() == [stored]
