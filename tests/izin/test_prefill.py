"""The applicant's NIK comes from the account: a verified citizen types no NIK (the account
keeps only its keyed hash and a masked form); the application is filed under the principal's
verified subject id. Integrators still name the NIK they apply for."""

from decimal import Decimal

import pytest
from django.test import Client

from apps.izin import commands
from apps.izin.models import IzinStatus
from apps.izin.store import store
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.principals import MSG_NIK_BELUM_TERVERIFIKASI
from tests.izin.conftest import (
    LOKET,
    NIK,
    ajukan,
    metadata,
    peristiwa_permohonan,
    selesaikan,
    verifikasi_ktp,
)
from tests.principals import citizen, integrator_client, principal, session_client

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
API_BODY = {**FORM, "nilai_investasi": "50000000"}


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _dibuat(permohonan_id):
    return store.load(permohonan_id)[0].event


def test_the_form_shows_the_masked_nik_read_only_and_asks_for_no_nik():
    sri = _browser(citizen("sri", NIK))

    page = sri.get("/izin/ajukan/").content.decode()

    assert 'name="nik"' not in page
    assert "NIK Anda" in page
    assert mask_nik(NIK) in page  # 3273**********01, as the account keeps it
    assert NIK not in page


def test_a_verified_citizen_applies_under_their_verified_nik_without_typing_it():
    verifikasi_ktp(NIK)
    selesaikan()
    sri = _browser(citizen("sri", NIK))

    response = sri.post("/izin/ajukan/", FORM)

    assert response.status_code == 302
    selesaikan()
    [row] = IzinStatus.objects.all()
    dibuat = _dibuat(row.permohonan_id)
    assert (dibuat.nik, dibuat.nik_hash, dibuat.nik_masked) == ("", keyed_hash(NIK), mask_nik(NIK))
    assert (row.subject_id, row.nik_masked) == (keyed_hash(NIK), mask_nik(NIK))
    assert (row.tahap, row.keputusan) == ("DISETUJUI", "NIB")  # risk R: as with a typed NIK
    assert response["Location"] == f"/izin/{row.permohonan_id}/"


def test_an_unverified_citizen_is_told_to_get_verified_and_nothing_is_written():
    claimant = _browser(citizen("penyerobot", NIK, verified=False))

    page = claimant.get("/izin/ajukan/").content.decode()
    response = claimant.post("/izin/ajukan/", FORM)

    assert mask_nik(NIK) not in page
    assert MSG_NIK_BELUM_TERVERIFIKASI.split(".")[0] in page
    assert response.status_code == 200
    assert MSG_NIK_BELUM_TERVERIFIKASI.split(".")[0] in response.content.decode()
    assert not peristiwa_permohonan().exists()


def test_a_citizen_may_leave_the_nik_out_of_an_api_request():
    warga = citizen("warga_a", NIK)

    response = session_client(warga).post("/api/v1/izin/", API_BODY, format="json")

    assert response.status_code == 202
    dibuat = _dibuat(response.json()["id"])
    assert (dibuat.nik, dibuat.nik_hash, dibuat.nik_masked) == ("", keyed_hash(NIK), mask_nik(NIK))


def test_an_integrator_must_name_the_nik_and_is_refused_without_one():
    client = integrator_client("loket-oss", "izin:ajukan", "izin:baca")

    response = client.post("/api/v1/izin/", API_BODY, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "nik_wajib")
    assert not peristiwa_permohonan().exists()


def test_an_integrator_without_the_scope_is_refused_before_the_missing_nik():
    client = integrator_client("tanpa-izin", "ktp:baca")

    response = client.post("/api/v1/izin/", API_BODY, format="json")

    assert response.status_code == 403
    assert not peristiwa_permohonan().exists()


def test_an_integrator_naming_the_nik_records_its_mask():
    pid = ajukan(principal=LOKET)

    dibuat = _dibuat(pid)

    assert (dibuat.nik, dibuat.nik_masked) == (NIK, mask_nik(NIK))


def test_a_masked_nik_that_is_no_mask_is_not_recorded():
    sri = principal(citizen("sri", NIK))

    pid = commands.izin_ajukan(
        principal=sri,
        nik_masked="Budi Santoso",  # not an account's masked NIK: display text is refused
        nama_pemohon="Sri",
        jenis_pelaku="PERORANGAN",
        nama_usaha="Warung",
        kbli_kode="56102",
        kbli_versi="2020",
        kode_wilayah="3273",
        skala="MIKRO",
        nilai_investasi=Decimal(1),
        metadata=metadata(),
    )

    assert _dibuat(pid).nik_masked == ""
