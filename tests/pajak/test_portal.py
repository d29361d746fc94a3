"""pajak's portal pages as a citizen: activate the verified NIK as NPWP (an unverified claim
or another NIK is refused with nothing written), create a billing code and read the time
left to pay it (rendered on the server), file a simple return, the home page's section;
another taxpayer's obligation is a 404 and officers have their own pages."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.pajak import commands
from apps.pajak.domain.rules import WIB
from apps.pajak.queries_wajib_pajak import sisa_berlaku
from egov import clock
from tests.pajak.pintu import (
    META,
    NIK,
    NIK_LAIN,
    dukcapil_memverifikasi,
    event_types,
    konfigurasi,  # noqa: F401 - a fixture
    petugas_djp,
    proyeksikan,
    warga_terdaftar,
)
from tests.principals import citizen, officer, principal
from tests.support import committed

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]

SEKARANG = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


def browser(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def siti() -> uuid.UUID:
    return warga_terdaftar("siti", NIK)


# --- the countdown -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=6, hours=3, minutes=59), "berlaku 6 hari 3 jam lagi"),
        (timedelta(hours=3, minutes=5), "berlaku 3 jam 5 menit lagi"),
        (timedelta(minutes=42, seconds=30), "berlaku 42 menit lagi"),
        (timedelta(seconds=20), "berlaku 1 menit lagi"),
        (timedelta(0), "sudah tidak berlaku"),
    ],
)
def test_the_time_left_is_said_in_whole_units_rounded_down(left, words):
    assert sisa_berlaku(SEKARANG + left, SEKARANG) == words


# --- activating the NIK as NPWP --------------------------------------------------------------
def test_a_verified_citizen_activates_their_nik_as_npwp():
    citizen("siti", NIK)
    dukcapil_memverifikasi(NIK)
    client = browser("siti")
    assert client.get("/pajak/")["Location"] == "/pajak/aktivasi/"

    with committed("pajak"):
        response = client.post("/pajak/aktivasi/", {"nik": NIK, "nama": "Siti Aminah"})
    assert response["Location"] == "/pajak/"

    html = page(client.get("/pajak/"))
    assert "NIK Anda sudah aktif sebagai NPWP." in html
    assert "3273**********01" in html
    assert NIK not in html
    assert event_types(event_type="WajibPajakTerdaftar") == ["WajibPajakTerdaftar"]


@pytest.mark.parametrize(
    ("verified", "nik", "message"),
    [
        (False, NIK, "NIK akun Anda belum terverifikasi."),
        (True, NIK_LAIN, "NIK ini bukan NIK yang terverifikasi pada akun Anda."),
    ],
)
def test_an_unverified_claim_or_another_nik_is_refused(verified, nik, message):
    citizen("siti", NIK, verified=verified)
    dukcapil_memverifikasi(NIK)
    dukcapil_memverifikasi(NIK_LAIN)

    response = browser("siti").post("/pajak/aktivasi/", {"nik": nik, "nama": "Siti"})

    html = page(response)
    assert message in html
    assert 'class="govuk-error-summary"' in html
    assert event_types() == []


def test_a_nik_dukcapil_never_verified_is_refused():
    citizen("siti", NIK)  # the account was verified, pajak's replica knows nothing yet

    response = browser("siti").post("/pajak/aktivasi/", {"nik": NIK, "nama": "Siti"})

    assert "NIK belum dipadankan dengan data Dukcapil" in page(response)
    assert event_types() == []


# --- billing codes and the countdown ---------------------------------------------------------
def test_a_citizen_creates_a_billing_code_and_sees_the_time_left(siti):
    client = browser("siti")
    with clock.frozen(SEKARANG), committed("pajak"):
        response = client.post(
            "/pajak/kode-billing/",
            {"jenis_pajak": "PPH_OP", "masa": "2025", "nominal": "1250000"},
            follow=True,
        )
    html = page(response)
    assert "untuk Rp1.250.000 dibuat, berlaku 14 hari 0 jam lagi." in html
    assert event_types(event_type="KodeBillingDibuat") == ["KodeBillingDibuat"]

    with clock.frozen(SEKARANG + timedelta(days=7, hours=21)):
        html = page(client.get("/pajak/"))

    assert "berlaku 6 hari 3 jam lagi" in html
    assert "Belum dibayar" in html


def test_a_refused_billing_code_is_the_forms_error(siti):
    with clock.frozen(SEKARANG):
        response = browser("siti").post(
            "/pajak/kode-billing/", {"jenis_pajak": "PPH_OP", "masa": "2026-11", "nominal": "1"}
        )

    assert "Masa pajak tidak sesuai dengan periode jenis pajak ini." in page(response)
    assert event_types(event_type="KodeBillingDibuat") == []


def test_the_home_page_shows_the_taxpayers_section(siti):
    with clock.frozen(SEKARANG), committed("pajak"):
        commands.pajak_buat_kode_billing(
            principal=principal(User.objects.get(username="siti")),
            jenis_pajak="PPH_OP",
            masa="2025",
            nominal=500_000,
            metadata=META,
        )
    citizen("budi", NIK_LAIN)

    with clock.frozen(SEKARANG + timedelta(hours=1)):
        mine = page(browser("siti").get("/"))
        other = page(browser("budi").get("/"))

    assert "NPWP Anda: 3273**********01" in mine
    assert "(Rp500.000): berlaku 13 hari 23 jam lagi" in mine
    assert "Aktifkan NIK sebagai NPWP" in other


# --- returns ---------------------------------------------------------------------------------
@pytest.fixture
def kewajiban(siti) -> uuid.UUID:
    officer = principal(petugas_djp("djp-jabar", "32"))
    with clock.frozen(SEKARANG):
        kewajiban_id = commands.pajak_timbulkan_kewajiban(
            principal=officer,
            wajib_pajak_id=siti,
            jenis_pajak="PPH21",
            masa="2026-11",
            metadata=META,
        )
    proyeksikan()
    return kewajiban_id


def lapor(kewajiban_id, terutang: str, username: str = "siti"):
    with clock.frozen(datetime(2026, 12, 1, 9, 0, tzinfo=WIB)), committed("pajak"):
        return browser(username).post(
            f"/pajak/spt/{kewajiban_id}/",
            {"pajak_terutang": terutang, "kredit_pajak": "0"},
            follow=True,
        )


def test_a_citizen_files_a_nil_return_and_gets_its_receipt(kewajiban):
    assert "PPh Pasal 21" in page(browser("siti").get(f"/pajak/spt/{kewajiban}/"))

    html = page(lapor(kewajiban, "0"))

    assert "SPT dilaporkan. Nomor bukti penerimaan elektronik: BPE-20261201-" in html
    assert event_types(stream_id=kewajiban) == [
        "KewajibanMasaTimbul",
        "SPTDisusun",
        "SPTDilaporkan",
    ]


def test_a_return_with_tax_left_shows_the_code_to_pay(kewajiban):
    html = page(lapor(kewajiban, "300000"))

    assert "SPT menunggu pembayaran: bayar kode billing" in html
    assert "sebesar Rp300.000 (berlaku 14 hari 0 jam lagi)" in html
    assert event_types(stream_id=kewajiban)[-1] == "SPTMenungguPembayaran"


def test_another_taxpayers_obligation_is_not_found(kewajiban):
    warga_terdaftar("budi", NIK_LAIN)

    assert browser("budi").get(f"/pajak/spt/{kewajiban}/").status_code == 404
    assert lapor(kewajiban, "0", username="budi").status_code == 404
    assert event_types(stream_id=kewajiban) == ["KewajibanMasaTimbul"]


def test_officers_use_their_own_pages():
    petugas_djp("djp-jabar", "32")

    assert browser("djp-jabar").get("/pajak/").status_code == 403


# --- the portal menu -----------------------------------------------------------------------------
MENU_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="page")?>([^<]+)</a>'
)


def menu(client: Client, path: str = "/") -> list[tuple[str, str, bool]]:
    """The main menu's items as (href, label, current page) in their order."""
    html = page(client.get(path))
    nav = html[html.index('<ul class="govuk-service-navigation__list">') : html.index("</nav>")]
    return [(href, label, bool(current)) for href, current, label in MENU_LINK.findall(nav)]


BERANDA, KTP, IZIN = (
    ("/", "Beranda", True),
    ("/ktp/", "e-KTP", False),
    ("/izin/", "Izin usaha", False),
)


def test_a_citizen_reaches_their_tax_pages_from_the_menu(siti):
    assert menu(browser("siti")) == [BERANDA, KTP, IZIN, ("/pajak/", "Pajak", False)]
    assert menu(browser("siti"), "/pajak/")[-1] == ("/pajak/", "Pajak", True)


def test_a_djp_officer_reaches_the_dashboard_from_the_menu():
    petugas_djp("djp-jabar", "32")

    assert menu(browser("djp-jabar")) == [BERANDA, KTP, IZIN, ("/pajak/dasbor/", "Pajak", False)]
    assert menu(browser("djp-jabar"), "/pajak/dasbor/")[-1] == ("/pajak/dasbor/", "Pajak", True)


def test_an_officer_of_another_service_has_no_tax_item():
    officer("dukcapil", "petugas_dukcapil")

    assert menu(browser("dukcapil")) == [BERANDA, KTP, IZIN]


def test_a_visitor_sees_the_item_like_the_others_and_is_asked_to_sign_in():
    assert menu(Client()) == [BERANDA, KTP, IZIN, ("/pajak/", "Pajak", False)]
    response = Client().get("/pajak/")
    assert (response.status_code, response["Location"]) == (302, "/masuk/?next=/pajak/")


def test_the_item_is_in_english_for_an_english_reader(siti):
    client = browser("siti")
    client.cookies["django_language"] = "en"

    assert menu(client)[-1] == ("/pajak/", "Taxes", False)
