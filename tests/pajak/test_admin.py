"""pajak's back office through the real admin: configuration rows in force are read-only and a
rule changes by a new row (with a warning when it starts today or earlier), brackets are
validated, and officers register companies and confirm PKPs through the commands, within
their office."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from apps.pajak.models import (
    IndeksWajibPajak,
    MasaBerlakuBilling,
    TarifPasal17,
    TarifPPN,
)
from apps.pajak.roles import GRUP_PETUGAS
from egov import clock
from egov.portal.models import OfficerProfile
from tests.pajak.perintah import (
    NPWP_BADAN,
    daftar_badan,
    event_terakhir,
    jenis_event,
    konfigurasi,  # noqa: F401 - a fixture
    wib,
)
from tests.principals import officer

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
HARI_INI = wib(2026, 3, 2, 9, 0)


def pengelola_tarif(*models: str) -> Client:
    """A staff member allowed to view, add and change the given configuration tables."""
    user = User.objects.create_user("pengelola", is_staff=True)
    for model in models:
        for action in ("view", "add", "change", "delete"):
            user.user_permissions.add(Permission.objects.get(codename=f"{action}_{model}"))
    client = Client()
    client.force_login(user)
    return client


def petugas_djp(username: str = "petugas", kantor: str = "32") -> Client:
    user = officer(username, GRUP_PETUGAS)
    OfficerProfile.objects.create(user=user, kantor=kantor)
    client = Client()
    client.force_login(user)
    return client


# --- configuration ------------------------------------------------------------------------------
def test_a_row_in_force_is_read_only_and_cannot_be_deleted():
    client = pengelola_tarif("tarifppn")
    berlaku = TarifPPN.objects.get(berlaku_mulai=date(2025, 2, 1))
    url = f"/admin/pajak/tarifppn/{berlaku.pk}/change/"
    with clock.frozen(HARI_INI):
        page = client.get(url)
        assert page.status_code == 200
        assert b'name="tarif_persen"' not in page.content  # shown, not editable
        edit = client.post(url, {"berlaku_mulai": "2025-02-01", "tarif_persen": "15"})
        delete = client.post(f"/admin/pajak/tarifppn/{berlaku.pk}/delete/", {"post": "yes"})
    assert (edit.status_code, delete.status_code) == (403, 403)
    berlaku.refresh_from_db()
    assert berlaku.tarif_persen == Decimal("12")


def test_a_new_row_changes_the_rule_and_a_planned_row_can_still_be_corrected():
    client = pengelola_tarif("masaberlakubilling")
    data = {"berlaku_mulai": "2026-07-01", "jam": "240", "dasar_hukum": "PER-uji/PJ/2026"}
    with clock.frozen(HARI_INI):
        added = client.post("/admin/pajak/masaberlakubilling/add/", data, follow=True)
        row = MasaBerlakuBilling.objects.get(berlaku_mulai=date(2026, 7, 1))
        client.post(f"/admin/pajak/masaberlakubilling/{row.pk}/change/", {**data, "jam": "264"})
    assert b"hari ini atau sebelumnya" not in added.content
    row.refresh_from_db()
    assert row.jam == 264


def test_a_row_starting_today_or_earlier_is_accepted_with_a_warning():
    client = pengelola_tarif("masaberlakubilling")
    data = {"berlaku_mulai": "2026-03-01", "jam": "240", "dasar_hukum": "PER-uji/PJ/2026"}
    with clock.frozen(HARI_INI):
        page = client.post("/admin/pajak/masaberlakubilling/add/", data, follow=True)
    assert "perhitungan untuk masa yang sudah lewat memakai aturan ini" in page.content.decode()
    assert MasaBerlakuBilling.objects.filter(berlaku_mulai=date(2026, 3, 1), jam=240).exists()


def _pasal17(*lapisan: tuple[str, str]) -> dict:
    data = {
        "berlaku_mulai": "2027-01-01",
        "dasar_hukum": "UU uji",
        "lapisan-TOTAL_FORMS": str(len(lapisan)),
        "lapisan-INITIAL_FORMS": "0",
    }
    for i, (batas, tarif) in enumerate(lapisan):
        data[f"lapisan-{i}-batas_atas"] = batas
        data[f"lapisan-{i}-tarif_persen"] = tarif
    return data


def test_brackets_need_one_unbounded_top_and_distinct_bounds():
    client = pengelola_tarif("tarifpasal17", "lapisanpasal17")
    url = "/admin/pajak/tarifpasal17/add/"
    with clock.frozen(HARI_INI):
        tanpa_puncak = client.post(url, _pasal17(("60000000", "5"), ("250000000", "15")))
        kembar = client.post(url, _pasal17(("60000000", "5"), ("60000000", "15"), ("", "35")))
        assert TarifPasal17.objects.filter(berlaku_mulai=date(2027, 1, 1)).count() == 0
        client.post(url, _pasal17(("60000000", "5"), ("", "35")))
    assert "tepat satu lapisan tanpa batas atas" in tanpa_puncak.content.decode()
    assert kembar.status_code == 200  # the form again, with the duplicate bound marked
    assert "errorlist" in kembar.content.decode()
    baru = TarifPasal17.objects.get(berlaku_mulai=date(2027, 1, 1))
    assert [(b.batas_atas, b.tarif_persen) for b in baru.lapisan.all()] == [
        (60_000_000, Decimal("5")),
        (None, Decimal("35")),
    ]


def test_a_staff_member_without_the_permission_cannot_open_the_tables():
    user = User.objects.create_user("staf", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/pajak/tarifppn/").status_code == 403


# --- taxpayers ----------------------------------------------------------------------------------
def test_an_officer_registers_a_company_from_the_admin():
    client = petugas_djp()
    form = {"npwp": "01.312.166.0-091.000", "nama": "PT Maju Jaya", "kode_wilayah": "3273"}
    with clock.frozen(HARI_INI):
        page = client.post("/admin/pajak/indekswajibpajak/add/", form, follow=True)
    assert page.status_code == 200
    row = IndeksWajibPajak.objects.get()
    assert (row.jenis, row.kode_wilayah) == ("BADAN", "3273")
    assert jenis_event(row.wajib_pajak_id) == ["WajibPajakTerdaftar"]
    assert event_terakhir(row.wajib_pajak_id).npwp == NPWP_BADAN


def test_a_refused_registration_shows_the_reason_and_writes_nothing():
    client = petugas_djp(kantor="35")
    form = {"npwp": "01.312.166.0-091.000", "nama": "PT Maju Jaya", "kode_wilayah": "3273"}
    page = client.post("/admin/pajak/indekswajibpajak/add/", form)
    assert "Wajib pajak ini di luar wilayah kantor Anda." in page.content.decode()
    salah = {**form, "kode_wilayah": "3578", "npwp": "01.312.166.1-091.000"}
    bad = client.post("/admin/pajak/indekswajibpajak/add/", salah)
    assert "Digit pemeriksa NPWP" in bad.content.decode()
    assert IndeksWajibPajak.objects.count() == 0


def test_officers_see_and_confirm_only_their_office_taxpayers():
    wp_id = daftar_badan()
    jatim = petugas_djp("petugas-jatim", kantor="35")
    assert str(wp_id) not in jatim.get("/admin/pajak/indekswajibpajak/").content.decode()
    action = {"action": "kukuhkan_pkp", "_selected_action": [str(wp_id)]}
    jatim.post("/admin/pajak/indekswajibpajak/", action)
    assert IndeksWajibPajak.objects.get().pkp is False

    jabar = petugas_djp("petugas-jabar", kantor="32")
    assert str(wp_id) in jabar.get("/admin/pajak/indekswajibpajak/").content.decode()
    with clock.frozen(HARI_INI):
        jabar.post("/admin/pajak/indekswajibpajak/", action)
    row = IndeksWajibPajak.objects.get()
    assert (row.pkp, row.tanggal_pkp) == (True, date(2026, 3, 2))
    assert event_terakhir(wp_id).petugas == "petugas-jabar"
    assert jabar.get(f"/admin/pajak/indekswajibpajak/{wp_id}/change/").status_code == 200
