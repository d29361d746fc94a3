"""`make run`'s pajak demo on an empty database: a few hundred taxpayers across the provinces,
thousands of payments over the last month, a dashboard and a report with something in them,
the demo citizen's own records, the demo accounts the README lists working, and a second
load adding nothing. One load per test costs a minute or more (the projectors build the read
tables from some 6,000 events), so the demo is loaded once and looked at from every side."""

from __future__ import annotations

import base64
import io
from datetime import datetime

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from apps.pajak import queries
from apps.pajak import queries_wajib_pajak as catatan
from apps.pajak.demo import BANK_CLIENT_ID, BANK_CLIENT_SECRET, PASSWORD, WARGA
from apps.pajak.domain.rules import WIB
from apps.pajak.models import PajakEvent
from apps.pajak.read_models import ProfilWajibPajak
from egov import clock
from egov.eventstore.pseudonym import keyed_hash
from tests.pajak.pintu import konfigurasi  # noqa: F401 - a fixture

# The demo is loaded once, in the PostgreSQL pass (make run's SQLite files are checked by hand
# and by tests/kernel/test_demo.py's kind of smoke test): a month of taxes takes ~1 min to load.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(databases="__all__"),
    pytest.mark.usefixtures("konfigurasi"),
]

SEKARANG = datetime(2026, 11, 25, 12, 0, tzinfo=WIB)


def load_demo() -> None:
    with clock.frozen(SEKARANG):
        apps.get_app_config("pajak").load_demo(io.StringIO())


def _pembayaran() -> list[dict]:
    rows = PajakEvent.objects.using("pajak").filter(event_type="PembayaranDiterima")
    return list(rows.values_list("payload", flat=True))


def test_a_month_of_demo_taxes_for_the_dashboard_the_report_the_citizen_and_the_bank():
    load_demo()

    _the_dashboard_and_the_report_have_a_month_of_taxes()
    _the_demo_citizen_has_records_to_look_at()
    _the_demo_accounts_work()
    events = PajakEvent.objects.using("pajak").count()
    load_demo()  # again
    assert PajakEvent.objects.using("pajak").count() == events
    assert User.objects.filter(username="petugas_djp").count() == 1


def _the_dashboard_and_the_report_have_a_month_of_taxes():
    payments = _pembayaran()
    with clock.frozen(SEKARANG):
        d = queries.dasbor(clock.today())
    laporan = list(queries.laporan_bulanan("2026-11"))

    assert ProfilWajibPajak.objects.count() >= 300
    assert len(payments) >= 1800
    in_november = [p for p in payments if p["tanggal_bayar"].startswith("2026-11")]
    bulan = d.penerimaan_bulan_ini
    assert bulan.jumlah_transaksi == len(in_november) >= 1200  # 25 of the 30 days
    assert bulan.jumlah_rupiah == sum(p["nominal"] for p in in_november)
    assert len(bulan.per_provinsi) >= 30
    assert {p.jenis_pajak for p in bulan.per_jenis} == {"PPH21", "PPN", "PPH_BADAN", "PPH_OP"}
    assert d.penerimaan_hari_ini.jumlah_transaksi > 0
    assert d.kode_billing_bulan_ini.kedaluwarsa > 0
    assert sum(s.tepat_waktu for s in d.spt) > sum(s.terlambat for s in d.spt) > 0
    assert d.jumlah_tunggakan > 0
    assert laporan[-1].jumlah_transaksi == len(in_november)
    assert laporan[-1].jumlah_pembayar >= 250


def _the_demo_citizen_has_records_to_look_at():
    profil = catatan.profil_warga(keyed_hash(WARGA[1]))
    with clock.frozen(SEKARANG):
        kode = catatan.kode_billing(profil.wajib_pajak_id)
    kewajiban = catatan.kewajiban(profil.wajib_pajak_id)

    assert profil.npwp_tersamar == "3273**********07"
    assert [(k.jenis_pajak, k.masa, k.status_spt) for k in kewajiban] == [
        ("PPH21", "2026-11", ""),
        ("PPH_OP", "2025", "DILAPORKAN"),
    ]
    assert sorted(k.status for k in kode) == ["AKTIF", "DIBAYAR", "DIBAYAR", "KEDALUWARSA"]
    [payable] = [k for k in kode if k.dapat_dibayar]
    assert (payable.kode, payable.nominal) == ("100000000000005", 750_000)  # integrator guide
    assert payable.sisa_berlaku == "berlaku 11 hari 21 jam lagi"


def _the_demo_accounts_work():
    officer = Client()
    officer.force_login(User.objects.get(username="petugas_djp"))
    assert User.objects.get(username="petugas_djp").check_password(PASSWORD)
    with clock.frozen(SEKARANG):
        assert officer.get("/pajak/dasbor/").status_code == 200
    citizen = Client()
    citizen.force_login(User.objects.get(username=WARGA[0]))
    assert User.objects.get(username=WARGA[0]).check_password(PASSWORD)
    assert "3273**********07" in citizen.get("/pajak/").content.decode()

    basic = base64.b64encode(f"{BANK_CLIENT_ID}:{BANK_CLIENT_SECRET}".encode()).decode()
    token = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "pajak:pembayaran"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert token.status_code == 200, token.content
    assert token.json()["scope"] == "pajak:pembayaran"
    bank = APIClient()
    bank.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    with clock.frozen(SEKARANG):  # the integrator guide's example, as written there
        paid = bank.post(
            "/api/v1/pajak/pembayaran/",
            {
                "kode_billing": "100000000000005",
                "ntpn": "0A1B2C3D4E5F6G7H",
                "ntb": "NTB-000123",
                "tanggal_bayar": SEKARANG.isoformat(),
                "nominal": 750_000,
            },
            format="json",
        )
    assert paid.status_code == 201, paid.content
    assert paid.json()["bank"] == "Bank Persepsi Demo"
