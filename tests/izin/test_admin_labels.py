"""The officers' queue reads as words: stages and risk levels show their labels (in the
officer's language), never the codes the read table stores."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from apps.izin import commands
from tests.izin.conftest import NIK, VERIFIKATOR, ajukan, metadata, selesaikan, verifikasi_ktp

pytestmark = pytest.mark.django_db(databases="__all__")
QUEUE = "/admin/izin/izinstatus/"


@pytest.fixture
def petugas() -> Client:
    user = User.objects.create_user("petugas", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_izinstatus"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mt():
    """An MT application (risk "MT") waiting for the verifier (stage "VERIFIKASI")."""
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(kbli_kode="16101")
    selesaikan()
    return pid


def _cells(page: str, column: str) -> list[str]:
    return re.findall(rf'<td class="field-{column}">([^<]*)</td>', page)


def test_the_queue_shows_the_stage_and_risk_labels_not_their_codes(petugas, mt):
    page = petugas.get(QUEUE).content.decode()

    assert _cells(page, "label_tahap") == ["Menunggu verifikasi petugas"]
    assert _cells(page, "label_tingkat_risiko") == ["Menengah tinggi"]
    assert ">VERIFIKASI<" not in page
    assert ">MT<" not in page


def test_the_queue_reads_in_english_under_the_english_locale(petugas, mt):
    page = petugas.get(QUEUE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert _cells(page, "label_tahap") == ["Waiting for an officer&#x27;s verification"]
    assert _cells(page, "label_tingkat_risiko") == ["Medium-high"]


def test_a_correction_is_shown_as_waiting_for_the_applicant(petugas, mt):
    commands.izin_minta_perbaikan(
        principal=VERIFIKATOR, permohonan_id=mt, catatan="Lengkapi", metadata=metadata("v")
    )
    selesaikan()

    page = petugas.get(QUEUE).content.decode()

    assert _cells(page, "label_tahap") == ["Menunggu perbaikan dari pemohon"]


def test_the_filters_offer_labels_and_still_filter_by_code(petugas, mt):
    filtered = petugas.get(QUEUE, {"tahap": "PERSETUJUAN"}).content.decode()
    page = petugas.get(QUEUE, {"tahap": "VERIFIKASI", "tingkat_risiko": "MT"}).content.decode()

    assert _cells(filtered, "label_tahap") == []
    assert _cells(page, "label_tahap") == ["Menunggu verifikasi petugas"]
    assert 'href="?tahap=VERIFIKASI&amp;tingkat_risiko=MT"' in page
    assert re.search(r'<a href="\?tahap=VERIFIKASI[^"]*">Menunggu verifikasi petugas</a>', page)


def test_the_application_page_shows_the_labels(petugas, mt):
    page = petugas.get(f"{QUEUE}{mt}/change/").content.decode()

    assert re.search(r'<div class="readonly">Menunggu verifikasi petugas</div>', page)
    assert re.search(r'<div class="readonly">Menengah tinggi</div>', page)
