"""The DJP dashboard: its numbers equal a recomputation from the events, it reads only
``pajak_read``, and only DJP officers (page) or readers with ``pajak:baca`` (API) see it."""

from datetime import date

import pytest
from django.conf import settings
from django.db import connections
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.pajak import queries
from apps.pajak.queries import Penerimaan, SPTMasa, StatusKodeBilling
from egov.portal.models import OfficerProfile
from tests.pajak.skenario import (
    HARI_INI,
    jumlahkan,
    november,  # noqa: F401 - a fixture
    pembayaran_dari_peristiwa,
)
from tests.principals import citizen, integrator_client, officer, session_client

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("november")]
URL, API = "/pajak/dasbor/", "/api/v1/pajak/dasbor/"


def _cells(totals: dict) -> tuple[Penerimaan, ...]:
    return tuple(
        Penerimaan(jenis, provinsi, rupiah, n)
        for (jenis, provinsi), (rupiah, n) in sorted(totals.items())
    )


def test_receipts_today_and_this_month_equal_the_payment_events():
    pembayaran = pembayaran_dari_peristiwa()
    today = [p for p in pembayaran if p["tanggal"] == HARI_INI]
    month = [p for p in pembayaran if p["bulan"] == "2026-11"]

    d = queries.dasbor(HARI_INI)

    assert d.penerimaan_hari_ini.rinci == _cells(jumlahkan(today, "jenis_pajak", "kode_provinsi"))
    assert d.penerimaan_bulan_ini.rinci == _cells(jumlahkan(month, "jenis_pajak", "kode_provinsi"))
    assert d.penerimaan_hari_ini.jumlah_rupiah == sum(p["nominal"] for p in today) == 7_500_000
    assert d.penerimaan_bulan_ini.jumlah_rupiah == sum(p["nominal"] for p in month) == 10_700_000
    assert (d.penerimaan_hari_ini.jumlah_transaksi, d.penerimaan_bulan_ini.jumlah_transaksi) == (
        len(today),
        len(month),
    )


def test_receipts_by_tax_and_by_province_largest_first():
    d = queries.dasbor(HARI_INI)

    assert d.penerimaan_bulan_ini.per_jenis == (
        Penerimaan("PPN", "", 5_500_000, 1),
        Penerimaan("PPH21", "", 5_200_000, 3),
    )
    assert d.penerimaan_bulan_ini.per_provinsi == (
        Penerimaan("", "32", 9_700_000, 3),
        Penerimaan("", "35", 1_000_000, 1),
    )
    assert d.penerimaan_bulan_ini.per_provinsi[0].nama_provinsi == "Jawa Barat"
    assert d.penerimaan_hari_ini.per_provinsi == (Penerimaan("", "32", 7_500_000, 2),)


def test_billing_codes_returns_and_overdue():
    d = queries.dasbor(HARI_INI)

    assert d.kode_billing_hari_ini == StatusKodeBilling(diterbitkan=3, dibayar=2, kedaluwarsa=0)
    assert d.kode_billing_bulan_ini == StatusKodeBilling(diterbitkan=6, dibayar=4, kedaluwarsa=1)
    assert d.spt == (SPTMasa("2026-10", "PPH21", 3, 1, 1), SPTMasa("2026-10", "PPN", 1, 1, 0))
    assert d.spt[0].belum_lapor == 1
    assert d.jumlah_tunggakan == 1
    [c] = d.tunggakan_teratas
    assert (c.jenis_pajak, c.masa, c.kode_wilayah, c.tenggat, c.hari_terlambat) == (
        "PPH21",
        "2026-10",
        "3171",
        date(2026, 11, 20),
        5,
    )
    assert (c.kurang_bayar, c.denda, c.tunggakan) == (0, 100_000, 100_000)


def test_the_overdue_list_is_limited_to_the_office_or_left_out(november):  # noqa: F811
    assert queries.dasbor(HARI_INI, wilayah_kantor="32").tunggakan_teratas == ()
    [c] = queries.dasbor(HARI_INI, wilayah_kantor="3171").tunggakan_teratas
    assert c.wajib_pajak_id == november.c.id
    assert queries.dasbor(HARI_INI, wilayah_kantor=None).tunggakan_teratas is None
    # Before the deadline passed, nothing was overdue.
    assert queries.dasbor(date(2026, 11, 20)).jumlah_tunggakan == 0


def test_no_query_touches_the_write_database():
    client = session_client(officer("djp", "petugas_djp"))
    with (
        CaptureQueriesContext(connections["pajak"]) as write,
        CaptureQueriesContext(connections["pajak_read"]) as read,
    ):
        queries.dasbor(HARI_INI)
        list(queries.laporan_bulanan("2026-11"))
        assert client.get(URL).status_code == 200
        assert client.get(API).status_code == 200
        assert client.get("/api/v1/pajak/laporan/2026-11/?format=csv").status_code == 200

    assert [q["sql"] for q in write.captured_queries] == []
    assert read.captured_queries


# --- the page --------------------------------------------------------------------------------
def test_an_officer_sees_numbers_charts_and_tables(november):  # noqa: F811
    client = Client()
    client.force_login(officer("djp", "petugas_djp"))

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp10.700.000" in html
    assert "Rp7.500.000" in html
    for chart in ("grafik-jenis", "grafik-provinsi", "grafik-billing", "grafik-spt"):
        assert f'<title id="{chart}-judul">' in html
        assert f'aria-labelledby="{chart}-judul {chart}-desc"' in html
    assert 'class="govuk-summary-list"' in html
    assert 'class="govuk-table"' in html
    assert str(november.c.id) in html  # the overdue taxpayer, by pseudonymous id only
    assert "Citra" not in html
    assert "3171024409900002" not in html
    assert "<script>" not in html  # the auto-refresh is a file (the CSP forbids inline script)
    assert "/static/pajak/dasbor.js" in html
    assert 'href="/api/v1/pajak/laporan/2026-11/?format=xlsx"' in html


def test_an_officer_sees_the_overdue_of_their_office_only(november):  # noqa: F811
    user = officer("djp_jabar", "petugas_djp")
    OfficerProfile.objects.create(user=user, kantor="32")
    client = Client()
    client.force_login(user)

    html = client.get(URL).content.decode()

    assert str(november.c.id) not in html
    assert "Tidak ada kewajiban yang lewat tenggat." in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [("citizen", 403), ("petugas_dukcapil", 403), ("anonymous", 302)],
)
def test_everyone_else_is_refused(who, expected):
    client = Client()
    if who == "citizen":
        client.force_login(citizen("warga", "3273015708850001"))
    elif who == "petugas_dukcapil":
        client.force_login(officer("dukcapil", "petugas_dukcapil"))

    response = client.get(URL)

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- the API ---------------------------------------------------------------------------------
@pytest.fixture
def scope_pajak(settings):
    settings.API_SCOPES = {**settings.API_SCOPES, "pajak:baca": "Membaca statistik pajak"}


def test_api_gives_an_officer_the_dashboard(november):  # noqa: F811
    body = session_client(officer("djp", "petugas_djp")).get(API).json()

    assert (body["hari_ini"], body["bulan"]) == ("2026-11-25", "2026-11")
    assert body["penerimaan_bulan_ini"]["jumlah_rupiah"] == 10_700_000
    assert body["penerimaan_hari_ini"]["per_jenis"] == [
        {
            "jenis_pajak": "PPN",
            "kode_provinsi": "",
            "nama_provinsi": "",
            "jumlah_rupiah": 5_500_000,
            "jumlah_transaksi": 1,
        },
        {
            "jenis_pajak": "PPH21",
            "kode_provinsi": "",
            "nama_provinsi": "",
            "jumlah_rupiah": 2_000_000,
            "jumlah_transaksi": 1,
        },
    ]
    assert body["kode_billing_bulan_ini"] == {"diterbitkan": 6, "dibayar": 4, "kedaluwarsa": 1}
    assert body["spt"][0] == {
        "masa": "2026-10",
        "jenis_pajak": "PPH21",
        "wajib_lapor": 3,
        "tepat_waktu": 1,
        "terlambat": 1,
        "belum_lapor": 1,
    }
    assert body["jumlah_tunggakan"] == 1
    assert [t["wajib_pajak_id"] for t in body["tunggakan_teratas"]] == [str(november.c.id)]


@pytest.mark.usefixtures("scope_pajak")
def test_api_gives_an_integrator_with_pajak_baca_aggregates_only():
    body = integrator_client("bps", "pajak:baca").get(API).json()

    assert body["penerimaan_bulan_ini"]["jumlah_rupiah"] == 10_700_000
    assert body["jumlah_tunggakan"] == 1
    assert body["tunggakan_teratas"] is None


@pytest.mark.usefixtures("scope_pajak")
@pytest.mark.parametrize(
    ("who", "expected"),
    [("integrator_izin", 403), ("citizen", 403), ("petugas_dukcapil", 403), ("anonymous", 401)],
)
def test_api_refuses_everyone_else(who, expected):
    from rest_framework.test import APIClient

    clients = {
        "integrator_izin": lambda: integrator_client("oss", "izin:baca"),
        "citizen": lambda: session_client(citizen("warga", "3273015708850001")),
        "petugas_dukcapil": lambda: session_client(officer("dukcapil", "petugas_dukcapil")),
        "anonymous": APIClient,
    }
    response = clients[who]().get(API)

    assert response.status_code == expected
    assert "penerimaan_bulan_ini" not in response.json()
