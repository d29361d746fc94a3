"""The attacks the security review found, each as a test: a caller acts only for the NIK its
principal may act for, never for a NIK or name it typed; refusals append nothing."""

import threading
from datetime import date

import pytest
from django.db import connections

from apps.ktp import commands
from apps.ktp.models import KtpEvent
from apps.ktp.store import store
from tests.izin.conftest import peristiwa_permohonan
from tests.ktp.conftest import LOKET, OFFICER, TEMPLATE
from tests.principals import citizen, integrator_client, session_client
from tests.support import committed

NIK_A, NIK_B = "3273015708850001", "3171024409900002"
KTP = "/api/v1/ktp/permohonan/"


def _card_for(nik: str, nama: str) -> None:
    """A card printed and handed over at the counter."""
    with committed("ktp"):
        commands.ktp_tambah_blangko(principal=LOKET, jumlah=1, metadata=OFFICER)
        pid = commands.ktp_ajukan(
            principal=LOKET,
            nik=nik,
            nama=nama,
            tanggal_lahir=date(1985, 8, 17),
            pernah_kawin=False,
            jenis="BARU",
            metadata=OFFICER,
        )
        commands.ktp_rekam_biometrik(
            principal=LOKET, permohonan_id=pid, template_hash=TEMPLATE, lokasi="A", metadata=OFFICER
        )
    commands.ktp_serahkan(principal=LOKET, permohonan_id=pid, metadata=OFFICER)


def _replacement(**overrides) -> dict:
    body = {
        "nik": NIK_A,
        "nama": "Nama Palsu",
        "tanggal_lahir": "1970-01-01",
        "jenis": "PENGGANTIAN",
        "alasan": "HILANG",
    }
    return {**body, **overrides}


@pytest.mark.django_db(databases="__all__")
def test_a_citizen_cannot_replace_another_citizens_card_and_the_owner_is_not_locked_out():
    _card_for(NIK_A, "Siti Aminah")
    before = KtpEvent.objects.count()
    b = session_client(citizen("warga_b", NIK_B))

    refused = b.post(KTP, _replacement(), format="json")

    assert refused.status_code == 403
    assert refused.json()["code"] == "bukan_nik_anda"
    assert KtpEvent.objects.count() == before
    a = session_client(citizen("warga_a", NIK_A))
    with committed("ktp"):
        own = a.post(KTP, _replacement(), format="json")
    assert own.status_code == 202


@pytest.mark.django_db(databases="__all__")
def test_a_replacement_carries_the_cards_data_never_the_name_the_caller_typed():
    _card_for(NIK_A, "Siti Aminah")
    a = session_client(citizen("warga_a", NIK_A))

    with committed("ktp"):
        response = a.post(KTP, _replacement(nama="Nama Palsu"), format="json")

    [created] = [r.event for r in store.load(response.json()["id"])][:1]
    assert (created.nama, created.tanggal_lahir) == ("Siti Aminah", "1985-08-17")


@pytest.mark.django_db(databases="__all__")
def test_a_data_change_is_decided_at_the_counter_not_online():
    _card_for(NIK_A, "Siti Aminah")
    a = session_client(citizen("warga_a", NIK_A))
    before = KtpEvent.objects.count()

    response = a.post(KTP, _replacement(alasan="PERUBAHAN_DATA"), format="json")

    assert (response.status_code, response.json()["code"]) == (403, "perubahan_data_di_loket")
    assert KtpEvent.objects.count() == before


@pytest.mark.django_db(databases="__all__")
def test_a_birth_date_in_year_one_is_refused_with_nothing_written():
    a = session_client(citizen("warga_a", NIK_A))
    body = {"nik": NIK_A, "nama": "Siti", "tanggal_lahir": "0001-01-01", "jenis": "BARU"}

    response = a.post(KTP, body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, "tanggal_lahir_tidak_valid")
    assert KtpEvent.objects.count() == 0


@pytest.mark.django_db(databases="__all__")
def test_a_citizen_cannot_apply_for_a_permit_under_another_citizens_nik():
    b = session_client(citizen("warga_b", NIK_B))
    body = {
        "nik": NIK_A,
        "nama_pemohon": "Nama Palsu",
        "jenis_pelaku": "PERORANGAN",
        "nama_usaha": "Usaha Palsu",
        "kbli_kode": "56102",
        "kode_wilayah": "3273",
        "skala": "MIKRO",
        "nilai_investasi": "1000000",
    }

    response = b.post("/api/v1/izin/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "bukan_nik_anda")
    assert not peristiwa_permohonan().exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_ten_concurrent_posts_with_one_idempotency_key_get_the_one_stored_answer():
    client = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    body = {"nik": NIK_A, "nama": "Siti", "tanggal_lahir": "1985-08-17", "jenis": "BARU"}
    start, answers = threading.Barrier(10), []

    def post() -> None:
        try:
            start.wait()
            response = client.post(KTP, body, format="json", HTTP_IDEMPOTENCY_KEY="sama-1")
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 10
    assert {status for status, _ in answers} == {202}
    assert len({pid for _, pid in answers}) == 1
    assert list(KtpEvent.objects.values_list("event_type", flat=True)) == ["KTPDibuat"]


@pytest.mark.django_db(databases="__all__")
def test_an_authorization_refusal_is_in_english_when_asked():
    b = session_client(citizen("warga_b", NIK_B))
    body = {"nik": NIK_A, "nama": "X", "tanggal_lahir": "1985-08-17", "jenis": "BARU"}

    response = b.post(KTP, body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {
        "code": "bukan_nik_anda",
        "detail": "This NIK is not the verified NIK of your account.",
    }
