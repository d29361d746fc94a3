"""Gaps the browser journeys found in the officers' admin: codes shown instead of words, and
no way to put the first blank cards into stock on a fresh system."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from apps.ktp.models import KtpEvent, RingkasanBlangko, StokBlangko
from apps.ktp.roles import GRUP_PETUGAS
from tests.ktp.conftest import NIK_LAIN, ajukan, events
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
ANTREAN = "/admin/ktp/statuspermohonanktp/"
STOK = "/admin/ktp/ringkasanblangko/"


def _admin(*groups: str, superuser: bool = True, language: str = "id") -> Client:
    """An admin user; the superuser holds every role, a plain staff user may only look."""
    user = User.objects.create_user("admin-ktp", password="x", is_staff=True)
    user.is_superuser = superuser
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_ringkasanblangko"))
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


# --- statuses in words ---------------------------------------------------------------------
def test_the_request_queue_shows_statuses_and_types_in_words():
    ajukan()

    page = _admin(GRUP_PETUGAS).get(ANTREAN).content.decode()

    assert '<td class="field-status_permohonan">Diajukan, menunggu perekaman biometrik</td>' in page
    assert '<td class="field-jenis_permohonan">KTP-el baru</td>' in page
    assert '<td class="field-nik">Aktif</td>' in page
    assert ">DIAJUKAN<" not in page
    assert ">BARU<" not in page


def test_the_queue_filters_offer_words_and_still_filter_by_code():
    first = ajukan()
    ajukan(NIK_LAIN)
    client = _admin(GRUP_PETUGAS)
    with committed("ktp"):
        client.post(
            ANTREAN,
            {
                "action": "nonaktifkan",
                "_selected_action": [first],
                "apply": "1",
                "alasan": "GANDA",
                "keterangan": "",
            },
        )

    page = client.get(ANTREAN).content.decode()
    filtered = client.get(f"{ANTREAN}?status_nik__exact=NONAKTIF").content.decode()

    assert '<a href="?status__exact=DIAJUKAN">Diajukan, menunggu perekaman biometrik</a>' in page
    assert '<a href="?status_nik__exact=NONAKTIF">Nonaktif</a>' in page
    assert '<a href="?jenis__exact=BARU">KTP-el baru</a>' in page
    assert filtered.count('<td class="field-nik">') == 1
    assert '<td class="field-nik">Nonaktif (data ganda)</td>' in filtered


def test_the_queue_speaks_english_when_asked():
    ajukan()

    page = _admin(GRUP_PETUGAS, language="en").get(ANTREAN).content.decode()

    assert (
        '<td class="field-status_permohonan">Submitted, waiting for biometric recording</td>'
        in page
    )
    assert '<td class="field-jenis_permohonan">New e-KTP</td>' in page


def test_a_requests_history_is_told_in_words_with_its_event():
    pid = ajukan()

    with committed("ktp"):
        page = _admin(GRUP_PETUGAS).get(f"{ANTREAN}{pid}/change/").content.decode()

    assert "Permohonan diterima (KTPDibuat) · Diajukan, menunggu perekaman biometrik" in page


# --- the first blank cards on a fresh system ---------------------------------------------
def test_a_fresh_system_offers_adding_stock():
    page = _admin(GRUP_PETUGAS).get(STOK).content.decode()

    assert RingkasanBlangko.objects.count() == 0  # nothing to select for the top-up action
    assert f'href="{STOK}add/"' in page


def test_an_officer_adds_the_first_stock_through_the_command():
    client = _admin(GRUP_PETUGAS)

    with committed("ktp"):
        response = client.post(f"{STOK}add/", {"jumlah": "25"})
    page = client.get(response["Location"]).content.decode()

    assert (response.status_code, response["Location"]) == (302, STOK)
    added = KtpEvent.objects.get(event_type="BlangkoDitambah")
    assert added.payload == {"jumlah": 25, "stok": 25, "officer_id": "admin-ktp"}
    assert added.metadata["source"] == "admin"
    assert StokBlangko.objects.using("ktp").get().jumlah == 25
    assert RingkasanBlangko.objects.get().stok == 25
    assert "Stok blangko sekarang 25." in page
    assert f'<th class="field-stok"><a href="{STOK}1/change/">25</a></th>' in page


def test_the_add_page_asks_for_the_number_and_refuses_zero():
    client = _admin(GRUP_PETUGAS)

    form = client.get(f"{STOK}add/")
    zero = client.post(f"{STOK}add/", {"jumlah": "0"})

    assert form.status_code == 200
    assert 'name="jumlah"' in form.content.decode()
    assert zero.status_code == 200  # the form again, with its error
    assert events() == []
    assert not StokBlangko.objects.using("ktp").exists()


def test_adding_stock_is_refused_for_a_staff_user_without_the_dukcapil_role():
    refused = _admin(superuser=False).post(f"{STOK}add/", {"jumlah": "25"})

    assert refused.status_code == 200
    assert "Hanya petugas Dukcapil yang dapat melakukan tindakan ini." in refused.content.decode()
    assert events() == []
    assert not StokBlangko.objects.using("ktp").exists()


def test_the_add_page_is_forbidden_without_the_view_permission():
    user = User.objects.create_user("tamu", password="x", is_staff=True)
    client = Client()
    client.force_login(user)

    assert client.get(f"{STOK}add/").status_code == 403
