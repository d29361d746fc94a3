"""The monthly report: rows per tax and province from the read database, its totals equal
the dashboard's month, exact CSV and XLSX, from the command, the API and the admin."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from apps.pajak import queries
from apps.pajak.queries import BarisLaporan
from tests.pajak.skenario import HARI_INI, november  # noqa: F401 - a fixture
from tests.principals import citizen, integrator_client, officer, session_client

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("november")]

JAKARTA = "Daerah Khusus Ibukota Jakarta"
ROWS = [
    ["2026-11", "PPH21", "31", JAKARTA, 0, 0, 0, 1, 0, 0, Decimal("0.00")],  # C: not filed
    ["2026-11", "PPH21", "32", "Jawa Barat", 4_200_000, 2, 1, 1, 1, 0, Decimal("100.00")],
    ["2026-11", "PPH21", "35", "Jawa Timur", 1_000_000, 1, 1, 1, 0, 1, Decimal("0.00")],
    ["2026-11", "PPN", "32", "Jawa Barat", 5_500_000, 1, 1, 1, 1, 0, Decimal("100.00")],
    # A paid PPh 21 and PPN: the total counts 2 payers, not 3.
    ["2026-11", "TOTAL", "", "", 10_700_000, 4, 2, 4, 2, 1, Decimal("50.00")],
]
CSV = (
    "masa,jenis_pajak,kode_provinsi,provinsi,penerimaan_rupiah,jumlah_transaksi,"
    "jumlah_pembayar,wajib_lapor_spt,lapor_tepat_waktu,lapor_terlambat,"
    "tingkat_kepatuhan_persen\r\n"
    f"2026-11,PPH21,31,{JAKARTA},0,0,0,1,0,0,0.00\r\n"
    "2026-11,PPH21,32,Jawa Barat,4200000,2,1,1,1,0,100.00\r\n"
    "2026-11,PPH21,35,Jawa Timur,1000000,1,1,1,0,1,0.00\r\n"
    "2026-11,PPN,32,Jawa Barat,5500000,1,1,1,1,0,100.00\r\n"
    "2026-11,TOTAL,,,10700000,4,2,4,2,1,50.00\r\n"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
API = "/api/v1/pajak/laporan/2026-11/"


def _cells(baris: BarisLaporan) -> list:
    from apps.pajak.laporan import nilai

    return nilai(baris)


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


XLSX_ROWS = [
    [
        "masa",
        "jenis_pajak",
        "kode_provinsi",
        "provinsi",
        "penerimaan_rupiah",
        "jumlah_transaksi",
        "jumlah_pembayar",
        "wajib_lapor_spt",
        "lapor_tepat_waktu",
        "lapor_terlambat",
        "tingkat_kepatuhan_persen",
    ],
    *[[*row[:2], row[2] or None, row[3] or None, *row[4:10], float(row[10])] for row in ROWS],
]


def test_rows_per_tax_and_province_then_the_total():
    assert [_cells(b) for b in queries.laporan_bulanan("2026-11")] == ROWS


def test_the_totals_equal_the_dashboards_month():
    *baris, total = queries.laporan_bulanan("2026-11")
    bulan = queries.dasbor(HARI_INI).penerimaan_bulan_ini

    assert total.total
    assert (total.jumlah_rupiah, total.jumlah_transaksi) == (
        bulan.jumlah_rupiah,
        bulan.jumlah_transaksi,
    )
    per_jenis = {p.jenis_pajak: p.jumlah_rupiah for p in bulan.per_jenis}
    for jenis, rupiah in per_jenis.items():
        assert sum(b.jumlah_rupiah for b in baris if b.jenis_pajak == jenis) == rupiah


def test_a_month_without_data_has_only_a_total_of_zeros():
    assert [_cells(b) for b in queries.laporan_bulanan("2026-12")] == [
        ["2026-12", "TOTAL", "", "", 0, 0, 0, 0, 0, 0, None]
    ]


# --- the command -----------------------------------------------------------------------------
def test_command_writes_csv_to_standard_output():
    out = io.StringIO()
    call_command("laporan_pajak_bulanan", "2026-11", stdout=out)
    assert out.getvalue() == CSV


def test_command_writes_xlsx_and_csv_files(tmp_path):
    xlsx, csv = tmp_path / "november.xlsx", tmp_path / "november.csv"
    call_command("laporan_pajak_bulanan", "2026-11", "--format", "xlsx", "--output", str(xlsx))
    call_command("laporan_pajak_bulanan", "2026-11", "--output", str(csv))

    assert _xlsx_rows(xlsx.read_bytes()) == XLSX_ROWS
    assert csv.read_bytes() == CSV.encode()


@pytest.mark.parametrize("masa", ["2026", "2026-13", "November"])
def test_command_refuses_anything_but_a_month(masa):
    with pytest.raises(CommandError):
        call_command("laporan_pajak_bulanan", masa, stdout=io.StringIO())


# --- the API ---------------------------------------------------------------------------------
@pytest.fixture
def djp():
    return session_client(officer("djp", "petugas_djp"))


def test_api_streams_csv_by_format_or_accept(djp):
    for response in (djp.get(f"{API}?format=csv"), djp.get(API, HTTP_ACCEPT="text/csv")):
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="laporan-pajak-2026-11.csv"'
        )
        assert b"".join(response.streaming_content).decode() == CSV


def test_api_gives_xlsx(djp):
    for response in (djp.get(f"{API}?format=xlsx"), djp.get(API, HTTP_ACCEPT=XLSX_TYPE)):
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX_TYPE
        assert _xlsx_rows(b"".join(response.streaming_content)) == XLSX_ROWS


def test_api_gives_json_by_default(djp):
    body = djp.get(API).json()

    assert body["masa"] == "2026-11"
    assert [
        [b["jenis_pajak"], b["kode_provinsi"], b["jumlah_rupiah"], b["tingkat_kepatuhan"]]
        for b in body["baris"]
    ] == [
        ["PPH21", "31", 0, "0.00"],
        ["PPH21", "32", 4_200_000, "100.00"],
        ["PPH21", "35", 1_000_000, "0.00"],
        ["PPN", "32", 5_500_000, "100.00"],
    ]
    assert body["total"]["jumlah_rupiah"] == 10_700_000
    assert body["total"]["jumlah_pembayar"] == 2


def test_api_for_an_integrator_with_pajak_baca(settings):
    settings.API_SCOPES = {**settings.API_SCOPES, "pajak:baca": "Membaca statistik pajak"}
    response = integrator_client("bps", "pajak:baca").get(f"{API}?format=csv")
    assert b"".join(response.streaming_content).decode() == CSV


def test_api_refuses_others_in_json_even_when_csv_is_asked():
    client = session_client(citizen("warga", "3273015708850001"))

    response = client.get(f"{API}?format=csv")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bukan_pembaca_statistik"


def test_api_knows_no_other_period(djp):
    assert djp.get("/api/v1/pajak/laporan/2026-13/").status_code == 404
    assert djp.get("/api/v1/pajak/laporan/2026/").status_code == 404


# --- the admin -------------------------------------------------------------------------------
ADMIN = "/admin/pajak/penerimaanbulanan/"


def test_admin_lists_the_month_and_downloads_the_report():
    client = Client()
    client.force_login(officer("djp", "petugas_djp"))

    listing = client.get(ADMIN)
    form = client.get(f"{ADMIN}laporan/")
    csv = client.get(f"{ADMIN}laporan/", {"masa": "2026-11", "format": "csv"})
    xlsx = client.get(f"{ADMIN}laporan/", {"masa": "2026-11", "format": "xlsx"})

    assert listing.status_code == 200
    assert f'href="{ADMIN}laporan/"' in listing.content.decode()
    assert 'href="/pajak/dasbor/"' in listing.content.decode()
    assert form.status_code == 200
    assert 'value="2026-11"' in form.content.decode()  # this month by default
    assert b"".join(csv.streaming_content).decode() == CSV
    assert _xlsx_rows(b"".join(xlsx.streaming_content)) == XLSX_ROWS


def test_admin_download_is_for_djp_officers_only():
    client = Client()
    client.force_login(officer("dukcapil", "petugas_dukcapil"))

    assert client.get(f"{ADMIN}laporan/", {"masa": "2026-11", "format": "csv"}).status_code == 403
    assert client.get(ADMIN).status_code == 403
