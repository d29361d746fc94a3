"""The e-KTP API through HTTP: statuses, rows and events exact; refusals write nothing."""

import pytest

from tests.ktp.conftest import NIK, NIK_LAIN, PERMOHONAN, TEMPLATE, URL, ajukan, client_for, events
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")


def _post(client, url, data=None, **headers):
    with committed("ktp"):
        return client.post(url, data or {}, format="json", headers=headers)


def test_full_flow_request_record_verify_print_hand_over(integrator, petugas, blangko):
    created = _post(integrator, URL, PERMOHONAN)
    assert created.status_code == 202
    assert (created.json()["status"], created.json()["pesan"]) == (
        "DIAJUKAN",
        "Permintaan diterima",
    )
    pid = created.json()["id"]
    assert integrator.get(f"{URL}{pid}/").json()["status"] == "DIAJUKAN"

    recorded = _post(
        petugas,
        f"{URL}{pid}/biometrik/",
        {"template_hash": TEMPLATE, "lokasi": "Disdukcapil Kota Bandung"},
    )
    assert recorded.status_code == 200
    # In the background: central check, then printing (a blank is in stock).
    status = integrator.get(f"{URL}{pid}/").json()
    assert (status["status"], status["nomor_blangko"]) == ("DICETAK", "BLK-00000001")
    assert _post(petugas, f"{URL}{pid}/penyerahan/").status_code == 200

    assert integrator.get(f"{URL}{pid}/").json()["status"] == "DISERAHKAN"
    history = integrator.get(f"{URL}{pid}/riwayat/").json()
    assert [(h["event_type"], h["status"]) for h in history] == [
        ("KTPDibuat", "DIAJUKAN"),
        ("BiometrikDirekam", "DIREKAM"),
        ("KTPDiverifikasi", "VERIFIED"),
        ("KTPDicetak", "DICETAK"),
        ("KTPDiserahkan", "DISERAHKAN"),
    ]
    assert set(history[0]) >= {"event_id", "nik", "status", "timestamp", "officer_id"}
    assert history[0]["nik"] == "3273**********01"  # masked: never the NIK in clear
    assert history[1]["officer_id"] == "petugas"


def test_a_duplicate_biometric_is_caught(petugas, blangko):
    first, second = ajukan(NIK), ajukan(NIK_LAIN)
    _post(petugas, f"{URL}{first}/biometrik/", {"template_hash": TEMPLATE, "lokasi": "A"})

    _post(petugas, f"{URL}{second}/biometrik/", {"template_hash": TEMPLATE, "lokasi": "B"})

    status = petugas.get(f"{URL}{second}/").json()
    assert status["status"] == "DUPLIKASI"
    assert events(stream_id=second) == ["KTPDibuat", "BiometrikDirekam", "DuplikasiTerdeteksi"]
    assert (
        _post(
            petugas,
            f"{URL}{second}/adjudikasi/",
            {"setujui": False, "alasan": "Sidik jari milik orang lain"},
        ).status_code
        == 200
    )
    assert petugas.get(f"{URL}{second}/").json()["status"] == "DITOLAK"


def test_a_retried_post_with_the_same_idempotency_key_appends_nothing(integrator):
    first = _post(integrator, URL, PERMOHONAN, **{"Idempotency-Key": "abc-1"})
    again = _post(integrator, URL, PERMOHONAN, **{"Idempotency-Key": "abc-1"})

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert events() == ["KTPDibuat"]


def test_an_integrator_may_not_act_as_an_officer_and_nothing_is_written(integrator):
    pid = ajukan()

    response = _post(
        integrator, f"{URL}{pid}/biometrik/", {"template_hash": TEMPLATE, "lokasi": "A"}
    )

    assert response.status_code == 403
    assert events(stream_id=pid) == ["KTPDibuat"]


def test_an_action_the_state_does_not_allow_is_409_and_writes_nothing(petugas):
    pid = ajukan()

    response = _post(petugas, f"{URL}{pid}/penyerahan/")

    assert response.status_code == 409
    assert response.json()["code"] == "tahap_tidak_sesuai"
    assert events(stream_id=pid) == ["KTPDibuat"]


def test_one_open_request_per_nik(integrator):
    assert _post(integrator, URL, PERMOHONAN).status_code == 202

    again = _post(integrator, URL, PERMOHONAN)

    assert again.status_code == 409
    assert again.json()["code"] == "masih_terbuka"
    assert events() == ["KTPDibuat"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {**PERMOHONAN, "nik": "3273015708850000"},
            "detail",
            "Nomor urut NIK (4 digit terakhir) tidak boleh 0000.",
        ),
        ({**PERMOHONAN, "tanggal_lahir": "17-08-1985"}, "tanggal_lahir", None),
        ({k: v for k, v in PERMOHONAN.items() if k != "nama"}, "nama", "Bidang ini harus diisi."),
    ],
)
def test_bad_input_is_400_in_indonesian_and_writes_nothing(integrator, data, field, message):
    response = _post(integrator, URL, data)

    assert response.status_code == 400
    body = response.json()
    assert field in body
    if message:
        assert message in (body[field] if isinstance(body[field], str) else body[field][0])
    assert events() == []


def test_lookup_by_nik_takes_the_nik_in_the_body(petugas, integrator):
    pid = ajukan()

    found = petugas.post(f"{URL}cari/", {"nik": NIK}, format="json")

    assert found.status_code == 200
    assert [p["permohonan_id"] for p in found.json()["permohonan"]] == [pid]
    assert NIK not in found.content.decode()
    assert integrator.post(f"{URL}cari/", {"nik": NIK}, format="json").status_code == 403


def test_unknown_request_and_a_strangers_view_are_the_same_404(integrator):
    pid = ajukan()
    stranger = client_for("orang-lain")

    assert integrator.get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404
    assert stranger.get(f"{URL}{pid}/").status_code == 404  # existence is not revealed


def test_without_a_blank_the_request_waits_then_prints_after_a_top_up(petugas):
    pid = ajukan()
    _post(petugas, f"{URL}{pid}/biometrik/", {"template_hash": TEMPLATE, "lokasi": "A"})
    assert petugas.get(f"{URL}{pid}/").json()["status"] == "VERIFIED"
    queue = petugas.get(f"{URL}daftar/?status=VERIFIED").json()
    assert [r["permohonan_id"] for r in queue["results"]] == [pid]

    assert _post(petugas, "/api/v1/ktp/blangko/", {"jumlah": 3}).json() == {"stok": 3}

    assert petugas.get(f"{URL}{pid}/").json()["status"] == "DICETAK"


def test_reading_a_citizens_request_through_the_api_is_recorded(integrator):
    pid = ajukan()

    integrator.get(f"{URL}{pid}/")

    assert events(event_type="DataPribadiDiakses") == []  # the submitter here is "warga"
    petugas = client_for("petugas-2", "petugas_dukcapil")
    petugas.get(f"{URL}{pid}/")
    assert events(event_type="DataPribadiDiakses") == ["DataPribadiDiakses"]


def test_refusals_are_in_english_for_an_english_client(integrator):
    assert _post(integrator, URL, PERMOHONAN).status_code == 202

    again = _post(integrator, URL, PERMOHONAN, **{"Accept-Language": "en"})

    assert again.status_code == 409
    assert again.json()["detail"] == "This NIK already has an open e-KTP request."
