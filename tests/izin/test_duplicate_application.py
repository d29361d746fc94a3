"""The same business applied for twice by the same applicant (same KBLI, location and
business name, normalised) while the first is open or approved is caught, decided by the
command from izin's own write-side index under the NIK's lock: 409 ``permohonan_ganda`` (a
warning with a link on the portal) unless the applicant confirms."""

import importlib
import threading
import time

import pytest
from django.apps import apps as django_apps
from django.db import connections
from django.test import Client

from apps.izin import commands
from apps.izin.commands import PermohonanGanda
from apps.izin.domain.rules import MSG_PERMOHONAN_GANDA, nama_usaha_baku
from apps.izin.models import IndeksPermohonan, IzinEvent
from tests.izin.conftest import (
    NIK,
    NIK_LAIN,
    VERIFIKATOR,
    ajukan,
    metadata,
    selesaikan,
    verifikasi_ktp,
)
from tests.principals import citizen, session_client

pytestmark = [
    pytest.mark.django_db(databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the portal form's KBLI check reads the copy
]

BODY = {
    "nama_pemohon": "Sri Wahyuni",
    "jenis_pelaku": "PERORANGAN",
    "nama_usaha": "Warung Bu Sri",
    "kbli_kode": "56102",
    "kbli_versi": "2020",
    "kode_wilayah": "327301",  # a district: the portal asks where the business is
    "skala": "MIKRO",
    "nilai_investasi": "50000000",
}


def _created() -> int:
    return IzinEvent.objects.filter(event_type="PermohonanIzinDibuat").count()


def test_business_names_are_compared_normalised():
    assert nama_usaha_baku("  Warung  BU-Sri. ") == nama_usaha_baku("warung bu sri")
    assert nama_usaha_baku("Warung Bu Sri") != nama_usaha_baku("Warung Bu Siti")


def test_the_same_business_again_is_refused_naming_the_first_and_nothing_is_written():
    first = ajukan(nama_usaha="Warung Bu Sri")
    before = IzinEvent.objects.count()

    with pytest.raises(PermohonanGanda) as refused:
        ajukan(nama_usaha="  warung  BU SRI. ")

    assert (refused.value.code, refused.value.permohonan_id) == ("permohonan_ganda", first)
    assert IzinEvent.objects.count() == before
    assert IndeksPermohonan.objects.count() == 1


def test_an_approved_application_counts_as_well():
    verifikasi_ktp(NIK)
    selesaikan()
    first = ajukan()  # risk R: approved and delivered at once
    selesaikan()
    assert IndeksPermohonan.objects.get(permohonan_id=first).tahap == "DISETUJUI"

    with pytest.raises(PermohonanGanda):
        ajukan()


def test_confirming_submits_a_second_application_anyway():
    first = ajukan()

    second = ajukan(konfirmasi_ganda=True)

    assert second != first
    assert _created() == 2


@pytest.mark.parametrize(
    "different",
    [
        {"kbli_kode": "56101", "skala": "MIKRO"},  # another activity
        {"kode_wilayah": "3171"},  # another location
        {"nama_usaha": "Warung Bu Sri 2"},  # another business
        {"nik": NIK_LAIN},  # another applicant
    ],
)
def test_another_activity_location_name_or_applicant_is_no_duplicate(different):
    ajukan()

    ajukan(**different)

    assert _created() == 2


def test_a_rejected_application_no_longer_blocks_a_new_one():
    verifikasi_ktp(NIK)
    selesaikan()
    first = ajukan(kbli_kode="16101")  # MT: waits for a verifier
    commands.izin_tolak(
        principal=VERIFIKATOR,
        permohonan_id=first,
        alasan="Tidak sesuai KKPR",
        dasar_hukum="PP 21/2021",
        metadata=metadata("v"),
    )

    ajukan(kbli_kode="16101")

    assert _created() == 2


def test_the_api_answers_409_unless_the_body_confirms():
    client = session_client(citizen("warga_a", NIK))
    first = client.post("/api/v1/izin/", BODY, format="json")
    assert first.status_code == 202

    again = client.post("/api/v1/izin/", {**BODY, "nama_usaha": "WARUNG BU SRI"}, format="json")

    assert again.status_code == 409
    assert again.json() == {"code": "permohonan_ganda", "detail": MSG_PERMOHONAN_GANDA}
    assert _created() == 1
    confirmed = client.post("/api/v1/izin/", {**BODY, "konfirmasi_ganda": True}, format="json")
    assert confirmed.status_code == 202
    assert _created() == 2


def test_the_portal_warns_links_the_existing_application_and_asks_for_confirmation():
    user = citizen("sri", NIK)
    browser = Client()
    browser.force_login(user)
    first = ajukan(nik=NIK, nama_usaha="Warung Bu Sri", kode_wilayah="327301")

    warned = browser.post("/izin/ajukan/", BODY)

    page = warned.content.decode()
    assert warned.status_code == 200
    assert "data-permohonan-ganda" in page
    assert f'href="/izin/{first}/"' in page
    assert 'type="checkbox" name="konfirmasi_ganda"' in page
    assert _created() == 1
    confirmed = browser.post("/izin/ajukan/", {**BODY, "konfirmasi_ganda": "on"})
    assert confirmed.status_code == 302
    assert _created() == 2


def test_the_migration_fills_the_key_of_applications_made_before_it():
    first = ajukan()
    key = IndeksPermohonan.objects.get(permohonan_id=first).kunci_ganda
    IndeksPermohonan.objects.filter(permohonan_id=first).update(kunci_ganda="")
    migration = importlib.import_module("apps.izin.migrations.0008_indeks_kunci_ganda")

    class _Editor:
        connection = connections["izin"]

    migration.isi_kunci_ganda(django_apps, _Editor())

    assert IndeksPermohonan.objects.get(permohonan_id=first).kunci_ganda == key != ""
    with pytest.raises(PermohonanGanda):
        ajukan()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_two_concurrent_submissions_create_exactly_one_application(konfigurasi, monkeypatch):
    verifikasi_ktp(NIK)
    selesaikan()
    user = citizen("warga_a", NIK)
    slow = commands._proses

    def _proses_slowly(*args, **kwargs):
        # hold the first transaction open after its duplicate check: without the NIK's lock
        # the second submission would pass its own check before the first commits
        time.sleep(0.3)
        return slow(*args, **kwargs)

    monkeypatch.setattr(commands, "_proses", _proses_slowly)
    start, answers = threading.Barrier(2), []

    def post() -> None:
        try:
            client = session_client(user)
            start.wait()
            response = client.post("/api/v1/izin/", BODY, format="json")
            answers.append((response.status_code, response.json().get("code", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [(202, ""), (409, "permohonan_ganda")]
    assert _created() == 1
    assert IndeksPermohonan.objects.count() == 1
