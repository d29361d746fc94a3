"""The citizen portal and the officers' admin through Django's test client."""

import hashlib

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.ktp.models import KtpEvent, StatusPermohonanKTP
from apps.ktp.roles import GRUP_PETUGAS
from egov.portal import claims
from egov.portal.models import CitizenProfile
from tests.ktp.conftest import LOKET, NIK, NIK_LAIN, ajukan, events
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
SIGNUP = {
    "username": "siti",
    "email": "siti@warga.id",
    "password1": "Rahasia-Kuat-2026",
    "password2": "Rahasia-Kuat-2026",
    "nik": "327301 570885 0001",
}
APPLY = {
    "jenis": "BARU",
    "alasan": "",
    "nik": NIK,
    "nama": "Siti Aminah",
    "tanggal_lahir": "1985-08-17",
}


def _citizen(client: Client, *, verified: bool = True, **overrides) -> None:
    """Sign up; then (as at a Dukcapil counter) an officer verifies the NIK claim."""
    response = client.post("/daftar/", {**SIGNUP, **overrides})
    assert response.status_code == 302, response.content.decode()[:2000]
    if verified:
        profile = CitizenProfile.objects.get(user__username=overrides.get("username", "siti"))
        claims.verify_claim(principal=LOKET, profile_id=profile.pk, reason="KTP diperiksa")


def test_sign_up_links_the_account_to_the_nik_hash_only():
    client = Client()
    _citizen(client)

    profile = CitizenProfile.objects.get(user__username="siti")
    assert profile.nik_masked == "3273**********01"
    assert NIK not in profile.subject_id
    assert client.get("/").status_code == 200


def test_sign_up_explains_an_invalid_nik_in_english_when_asked():
    client = Client(headers={"accept-language": "en"})
    response = client.post("/daftar/", {**SIGNUP, "nik": "3273015708850000"})

    assert "The NIK serial number (last 4 digits) cannot be 0000." in response.content.decode()


def test_sign_up_refuses_an_invalid_nik_in_indonesian():
    response = Client().post("/daftar/", {**SIGNUP, "nik": "3273015708850000"})

    assert response.status_code == 200
    assert "Nomor urut NIK (4 digit terakhir) tidak boleh 0000." in response.content.decode()
    assert not User.objects.filter(username="siti").exists()


def test_citizen_applies_and_tracks_the_request_with_its_timeline():
    client = Client()
    _citizen(client)

    with committed("ktp"):
        response = client.post("/ktp/ajukan/", APPLY)

    assert response.status_code == 302
    detail = client.get(response["Location"])
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "Diajukan, menunggu perekaman biometrik" in page  # words, not the code
    assert "DIAJUKAN" not in page
    assert "Permohonan diterima" in page
    assert NIK not in page
    assert NIK not in response["Location"]
    home = client.get("/").content.decode()
    assert "3273**********01" in home  # the KTP section of the citizen's home page
    assert events(event_type="DataPribadiDiakses") == []  # a citizen's own views


def test_a_citizen_cannot_apply_for_someone_elses_nik_nor_see_their_request():
    client = Client()
    _citizen(client)
    other = ajukan(NIK_LAIN)

    response = client.post("/ktp/ajukan/", {**APPLY, "nik": NIK_LAIN})

    assert "bukan NIK yang terverifikasi" in response.content.decode()
    assert events(stream_type="PermohonanKTP") == ["KTPDibuat"]  # only the other's request
    assert client.get(f"/ktp/{other}/").status_code == 404


SCAN = b"ISO/IEC 19794-2 template bytes from the fingerprint scanner"


def _scan() -> SimpleUploadedFile:
    """The scanner's template file, as an officer uploads it."""
    return SimpleUploadedFile("sidik-jari.iso", SCAN, content_type="application/octet-stream")


def _officer_client() -> Client:
    officer = User.objects.create_user(
        "petugas-admin", password="x", is_staff=True, is_superuser=True
    )
    officer.groups.add(Group.objects.get_or_create(name=GRUP_PETUGAS)[0])
    client = Client()
    client.force_login(officer)
    return client


def test_admin_action_records_biometrics_and_shows_a_refusal():
    pid = ajukan()
    client = _officer_client()
    url = "/admin/ktp/statuspermohonanktp/"

    with committed("ktp"):
        client.post(
            url,
            {
                "action": "rekam",
                "_selected_action": [pid],
                "apply": "1",
                "template": _scan(),
                "lokasi": "Loket 1",
            },
        )
    refused = client.post(url, {"action": "serahkan", "_selected_action": [pid]}, follow=True)

    assert events(stream_id=pid) == ["KTPDibuat", "BiometrikDirekam", "KTPDiverifikasi"]
    recorded = KtpEvent.objects.get(stream_id=pid, event_type="BiometrikDirekam")
    assert recorded.payload["template_hash"] == hashlib.sha256(SCAN).hexdigest()
    assert StatusPermohonanKTP.objects.get(permohonan_id=pid).status == "VERIFIED"
    assert "tidak dapat diserahkan" in refused.content.decode()


def test_admin_detail_page_records_the_officers_access_and_shows_history():
    pid = ajukan()
    client = _officer_client()

    with committed("ktp"):
        page = client.get(f"/admin/ktp/statuspermohonanktp/{pid}/change/")

    assert page.status_code == 200
    assert "KTPDibuat" in page.content.decode()
    assert events(event_type="DataPribadiDiakses") == ["DataPribadiDiakses"]


def test_no_admin_page_can_change_or_delete_an_event():
    client = _officer_client()
    ajukan()

    assert client.get("/admin/ktp/ktpevent/add/").status_code == 403
    assert client.get("/admin/ktp/ktpevent/1/delete/").status_code in (403, 302)


def test_the_portal_speaks_english_when_asked():
    client = Client(headers={"accept-language": "en"})
    _citizen(client)
    with committed("ktp"):
        response = client.post("/ktp/ajukan/", APPLY)

    page = client.get(response["Location"]).content.decode()

    assert "Request received" in page
    assert "e-KTP request status" in page
    assert "Submitted, waiting for biometric recording" in page  # the status in words
    assert "WIB: Request received" in page  # the timeline too


def test_the_print_action_says_why_nothing_was_printed():
    waiting = ajukan()  # not recorded yet: its stage refuses printing
    client = _officer_client()
    url = "/admin/ktp/statuspermohonanktp/"
    with committed("ktp"):
        client.post(
            url,
            {
                "action": "rekam",
                "_selected_action": [waiting],
                "apply": "1",
                "template": _scan(),
                "lokasi": "Loket 1",
            },
        )  # verified now, but no blank is in stock
    fresh = ajukan(NIK_LAIN)

    no_blank = client.post(url, {"action": "cetak", "_selected_action": [waiting]}, follow=True)
    wrong_stage = client.post(url, {"action": "cetak", "_selected_action": [fresh]}, follow=True)

    assert "Blangko habis" in no_blank.content.decode()
    assert "DIAJUKAN tidak dapat dicetak" in wrong_stage.content.decode()
    assert events(stream_id=waiting)[-1] == "KTPDiverifikasi"


def test_an_empty_template_file_is_refused_and_nothing_is_recorded():
    pid = ajukan()

    page = _officer_client().post(
        "/admin/ktp/statuspermohonanktp/",
        {
            "action": "rekam",
            "_selected_action": [pid],
            "apply": "1",
            "template": SimpleUploadedFile("kosong.iso", b""),
            "lokasi": "Loket 1",
        },
    )

    assert page.status_code == 200  # the form again, with its error
    assert events(stream_id=pid) == ["KTPDibuat"]
