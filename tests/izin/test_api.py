"""The izin API through HTTP: statuses, roles, idempotency, no writes on refusals."""

import uuid

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from apps.izin.domain.rules import MSG_KBLI_TIDAK_VALID, MSG_PERLU_APPROVER
from apps.izin.models import IzinEvent
from apps.izin.roles import GRUP_APPROVER, GRUP_VERIFIKATOR, MSG_BUKAN_PETUGAS
from tests.izin.conftest import NIK, selesaikan, verifikasi_ktp
from tests.principals import integrator_client

pytestmark = pytest.mark.django_db(databases="__all__")
URL = "/api/v1/izin/"
BODY = {
    "nik": NIK,
    "nama_pemohon": "Sri Wahyuni",
    "jenis_pelaku": "PERORANGAN",
    "nama_usaha": "Klinik Sehat",
    "kbli_kode": "86105",
    "kode_wilayah": "3273",
    "skala": "KECIL",
    "nilai_investasi": "750000000",
}


def client_for(username: str, *groups: str) -> APIClient:
    user = User.objects.create_user(username, password="x")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def integrator():
    """An OSS front office system: submits applications and reads its own."""
    return integrator_client("loket-oss", "izin:ajukan", "izin:baca")


@pytest.fixture
def permohonan(integrator) -> str:
    verifikasi_ktp(NIK)
    selesaikan()
    response = integrator.post(URL, BODY, format="json")
    assert response.status_code == 202
    selesaikan()
    return response.json()["id"]


def access_events() -> int:
    return IzinEvent.objects.filter(event_type="DataPribadiDiakses").count()


def test_post_returns_202_and_the_status_is_readable(integrator, permohonan):
    response = integrator.get(f"{URL}{permohonan}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["tahap"], body["tingkat_risiko"], body["sisa_hari_kerja"]) == (
        "PERSETUJUAN",
        "T",
        10,
    )
    assert NIK not in response.content.decode()
    assert access_events() == 1
    riwayat = integrator.get(f"{URL}{permohonan}/riwayat/").json()
    assert [s["jenis"] for s in riwayat] == ["PermohonanIzinDibuat", "TingkatRisikoDitetapkan"]


def test_invalid_input_is_400_in_indonesian_and_writes_nothing(integrator):
    before = IzinEvent.objects.count()
    response = integrator.post(URL, {**BODY, "kbli_kode": "861"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == MSG_KBLI_TIDAK_VALID
    assert IzinEvent.objects.count() == before


def test_idempotency_key_replays_the_first_answer(integrator):
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    first = integrator.post(URL, BODY, format="json", **headers)
    again = integrator.post(URL, BODY, format="json", **headers)
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert IzinEvent.objects.filter(event_type="PermohonanIzinDibuat").count() == 1


def test_decisions_are_forbidden_to_others_and_write_nothing(integrator, permohonan):
    before = IzinEvent.objects.count()
    for path in ("persetujuan", "penolakan", "permintaan-perbaikan", "pencabutan"):
        response = integrator.post(f"{URL}{permohonan}/{path}/", {}, format="json")
        assert response.status_code == 403, path
    assert IzinEvent.objects.count() == before


def test_verifier_on_a_high_risk_application_gets_409(permohonan):
    verifier = client_for("verifikator", GRUP_VERIFIKATOR)
    before = IzinEvent.objects.count()
    response = verifier.post(f"{URL}{permohonan}/persetujuan/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {"code": "perlu_approver", "detail": MSG_PERLU_APPROVER}
    english = verifier.post(
        f"{URL}{permohonan}/persetujuan/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == (
        "This high-risk (T) application waits for an OSS approver, not a verifier."
    )
    assert IzinEvent.objects.count() == before


def test_approver_approves_then_the_document_is_downloadable_and_verifiable(integrator, permohonan):
    approver = client_for("approver", GRUP_APPROVER)
    assert approver.post(f"{URL}{permohonan}/persetujuan/", {}, format="json").status_code == 200
    selesaikan()
    status = integrator.get(f"{URL}{permohonan}/").json()
    assert (status["tahap"], status["keputusan"]) == ("DISETUJUI", "IZIN")
    download = integrator.get(f"{URL}{permohonan}/dokumen/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    as_declared = integrator.get(f"{URL}{permohonan}/dokumen/", HTTP_ACCEPT="application/pdf")
    assert (as_declared.status_code, as_declared.content) == (200, download.content)
    check = APIClient().get(f"{URL}verifikasi/{status['kode_verifikasi']}/")
    assert check.status_code == 200
    assert (check.json()["nib"], check.json()["berlaku"]) == (status["nib"], True)
    assert APIClient().get(f"{URL}verifikasi/AAAA-BBBB-CCCC/").status_code == 404


def test_correction_round_trip_by_officer_and_applicant(integrator, permohonan):
    approver = client_for("approver", GRUP_APPROVER)
    asked = approver.post(
        f"{URL}{permohonan}/permintaan-perbaikan/", {"catatan": "Lampirkan PBG"}, format="json"
    )
    assert asked.status_code == 200
    selesaikan()
    stranger = client_for("orang-lain")
    answer = {"keterangan": "PBG terlampir"}
    # another person's application does not exist for them (no existence leak)
    assert stranger.post(f"{URL}{permohonan}/perbaikan/", answer, format="json").status_code == 404
    assert stranger.get(f"{URL}{permohonan}/").status_code == 404
    response = integrator.post(f"{URL}{permohonan}/perbaikan/", answer, format="json")
    assert response.status_code == 200
    selesaikan()
    assert integrator.get(f"{URL}{permohonan}/").json()["tahap"] == "PERSETUJUAN"


def test_unknown_application_is_404(integrator):
    assert integrator.get(f"{URL}{uuid.uuid4()}/").status_code == 404
    missing = integrator.get(f"{URL}{uuid.uuid4()}/dokumen/", HTTP_ACCEPT="application/pdf")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert missing.json()["code"] == "tidak_ditemukan"


def test_anonymous_cannot_apply():
    assert APIClient().post(URL, BODY, format="json").status_code in (401, 403)


def test_officer_queue_and_counts_per_sector_and_region(integrator, permohonan):
    assert integrator.get(f"{URL}antrean/").status_code == 403
    approver = client_for("approver", GRUP_APPROVER)
    queue = approver.get(f"{URL}antrean/", {"tingkat": "T"}).json()
    assert [(r["permohonan_id"], r["sisa_hari_kerja"]) for r in queue] == [(permohonan, 10)]
    assert approver.get(f"{URL}antrean/", {"tingkat": "MT"}).json() == []
    ringkasan = approver.get(f"{URL}ringkasan/").json()
    assert ringkasan["antrean"] == [
        {
            "otoritas": "Dinas Kesehatan Kabupaten/Kota",
            "tingkat_risiko": "T",
            "tahap": "PERSETUJUAN",
            "jumlah": 1,
        }
    ]
    assert ringkasan["sektor_wilayah"] == [{"sektor": "Kesehatan", "provinsi": "32", "jumlah": 1}]


def test_messages_are_indonesian_with_english_available(integrator, permohonan):
    response = integrator.post(f"{URL}{permohonan}/penolakan/", {}, format="json")
    assert response.json()["detail"] == MSG_BUKAN_PETUGAS
    english = integrator.post(
        f"{URL}{permohonan}/penolakan/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json()["detail"] == "Only an OSS verifier or approver may take this decision."


def test_the_public_verification_endpoint_is_throttled_per_address():
    anyone = APIClient()
    answers = [anyone.get(f"{URL}verifikasi/tidak-ada/").status_code for _ in range(31)]

    assert answers[:30] == [404] * 30
    assert answers[30] == 429


def test_a_person_checking_a_permit_in_a_browser_gets_a_page(integrator, permohonan):
    approver = client_for("approver", GRUP_APPROVER)
    approver.post(f"{URL}{permohonan}/persetujuan/", {}, format="json")
    selesaikan()
    kode = integrator.get(f"{URL}{permohonan}/").json()["kode_verifikasi"]
    browser = APIClient()

    page = browser.get(f"{URL}verifikasi/{kode}/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    unknown = browser.get(f"{URL}verifikasi/TIDAK-ADA/", HTTP_ACCEPT="text/html")

    assert (page.status_code, page["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert "Dokumen asli dan berlaku." in page.content.decode()
    assert (unknown.status_code, unknown["Content-Type"]) == (404, "text/html; charset=utf-8")
    assert browser.get(f"{URL}verifikasi/{kode}/").json()["berlaku"] is True  # API: JSON
