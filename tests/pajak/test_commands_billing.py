"""Billing codes and payments on pajak's aliases: the validity read from the configuration on
the Jakarta date of issue (7 x 24 hours, 14 x 24 hours from 17 December 2025), payments
reported by a bank idempotently on the NTPN, the refusals, and expiry by the beat job."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.pajak import commands, tasks
from apps.pajak.domain.events import KodeBillingDibuat, KodeBillingKedaluwarsa, PembayaranDiterima
from apps.pajak.domain.kode_billing import kode_billing_stream_id
from apps.pajak.domain.wajib_pajak import wajib_pajak_stream_id
from apps.pajak.models import IndeksKodeBilling, MasaBerlakuBilling
from egov import clock
from egov.eventstore.domain import DomainError
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import AccessDenied, NotVisible
from tests.pajak.perintah import (  # noqa: F401 - konfigurasi: a fixture
    BANK,
    BANK_B,
    NIK,
    NIK_LAIN,
    OSS,
    PETUGAS,
    PETUGAS_JATIM,
    WARGA,
    WARGA_LAIN,
    aktifkan,
    daftar_badan,
    event_terakhir,
    jenis_event,
    konfigurasi,
    meta,
    refused,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
NTPN = "0A1B2C3D4E5F6G7H"


def buat(pada=None, **overrides):
    values = {
        "principal": WARGA,
        "jenis_pajak": "PPH_OP",
        "masa": "2025",
        "nominal": 1_250_000,
        "metadata": meta(),
    }
    with clock.frozen(pada or wib(2025, 12, 1, 10, 0)):
        return commands.pajak_buat_kode_billing(**{**values, **overrides})


def bayar(kode: str, *, pada=None, **overrides):
    values = {
        "principal": BANK,
        "kode": kode,
        "ntpn": NTPN,
        "ntb": "NTB-000123",
        "tanggal_bayar": wib(2025, 12, 2, 11, 0),
        "nominal": 1_250_000,
        "metadata": meta("bank-a"),
    }
    with clock.frozen(pada or wib(2025, 12, 2, 11, 0, 5)):
        return commands.pajak_terima_pembayaran(**{**values, **overrides})


# --- issuing ----------------------------------------------------------------------------------
def test_a_citizen_issues_a_code_for_their_own_tax():
    wp_id = aktifkan()
    terbit = buat(pada=wib(2025, 12, 1, 10, 0))

    assert len(terbit.kode) == 15
    assert terbit.kode.isdigit()
    assert terbit.kode[0] in "0123"
    assert terbit.kedaluwarsa == wib(2025, 12, 8, 10, 0)  # 7 x 24 hours
    assert event_terakhir(kode_billing_stream_id(terbit.kode)) == KodeBillingDibuat(
        kode=terbit.kode,
        wajib_pajak_id=wp_id,
        subjek_id=keyed_hash(NIK),
        jenis_pajak="PPH_OP",
        kap="411125",
        kjs="200",
        masa="2025",
        nominal=1_250_000,
        dibuat_pada=wib(2025, 12, 1, 10, 0),
        kedaluwarsa=wib(2025, 12, 8, 10, 0),
        kewajiban_id=None,
    )
    row = IndeksKodeBilling.objects.get(kode=terbit.kode)
    assert (row.wajib_pajak_id, row.status, row.nominal, row.ntpn) == (
        wp_id,
        "AKTIF",
        1_250_000,
        "",
    )
    assert row.kedaluwarsa == wib(2025, 12, 8, 10, 0)


@pytest.mark.parametrize(
    ("dibuat", "kedaluwarsa"),
    [
        (wib(2025, 12, 16, 23, 59), wib(2025, 12, 23, 23, 59)),  # last day of 7 x 24 hours
        (wib(2025, 12, 17, 0, 0), wib(2025, 12, 31, 0, 0)),  # 14 x 24 hours from 17 December
        (wib(2026, 3, 2, 8, 30), wib(2026, 3, 16, 8, 30)),
    ],
)
def test_the_validity_is_the_rule_in_force_on_the_jakarta_date_of_issue(dibuat, kedaluwarsa):
    aktifkan()
    assert buat(pada=dibuat).kedaluwarsa == kedaluwarsa


def test_17_december_starts_at_midnight_in_jakarta_not_in_utc():
    aktifkan()
    dibuat = datetime(2025, 12, 16, 17, 30, tzinfo=UTC)  # 17 December 00:30 WIB
    assert buat(pada=dibuat).kedaluwarsa - dibuat == timedelta(days=14)
    sebelum = datetime(2025, 12, 16, 16, 30, tzinfo=UTC)  # 16 December 23:30 WIB
    assert buat(pada=sebelum).kedaluwarsa - sebelum == timedelta(days=7)


def test_a_validity_row_added_in_the_admin_applies_to_the_next_code():
    aktifkan()
    MasaBerlakuBilling.objects.create(berlaku_mulai=wib(2026, 1, 1).date(), jam=48)
    assert buat(pada=wib(2026, 1, 5, 9, 0)).kedaluwarsa == wib(2026, 1, 7, 9, 0)


def test_an_officer_issues_a_code_for_a_taxpayer_of_their_office():
    wp_id = daftar_badan(pkp=True)
    terbit = buat(principal=PETUGAS, wajib_pajak_id=wp_id, jenis_pajak="PPN", masa="2025-11")
    assert (terbit.jenis_pajak, terbit.masa, terbit.nominal) == ("PPN", "2025-11", 1_250_000)
    assert event_terakhir(kode_billing_stream_id(terbit.kode)).kap == "411211"


def test_issuing_refusals_write_nothing():
    wp_id = aktifkan()
    badan = daftar_badan()
    refused(DomainError, "jenis_wp_tidak_sesuai", buat, jenis_pajak="PPH_BADAN")
    refused(DomainError, "bukan_pkp", buat, jenis_pajak="PPN", masa="2025-11")
    refused(DomainError, "jenis_pajak_tidak_valid", buat, jenis_pajak="PBB")
    refused(DomainError, "masa_tidak_valid", buat, masa="2025-13")
    refused(DomainError, "masa_tidak_sesuai", buat, masa="2025-11")
    refused(DomainError, "nominal_tidak_valid", buat, nominal=0)
    refused(DomainError, "belum_terdaftar", buat, principal=WARGA_LAIN)
    # tax secrecy: another citizen does not learn the taxpayer exists
    refused(NotVisible, "tidak_ditemukan", buat, principal=WARGA_LAIN, wajib_pajak_id=wp_id)
    refused(NotVisible, "tidak_ditemukan", buat, principal=WARGA, wajib_pajak_id=badan)
    refused(AccessDenied, "luar_wilayah", buat, principal=PETUGAS_JATIM, wajib_pajak_id=wp_id)
    refused(NotVisible, "tidak_ditemukan", buat, principal=OSS, wajib_pajak_id=wp_id)
    unknown = wajib_pajak_stream_id(keyed_hash(NIK_LAIN))
    refused(NotVisible, "tidak_ditemukan", buat, principal=PETUGAS, wajib_pajak_id=unknown)
    assert IndeksKodeBilling.objects.count() == 0


# --- payments ---------------------------------------------------------------------------------
def test_a_bank_reports_a_payment():
    aktifkan()
    kode = buat().kode
    jawaban = bayar(kode, ntpn=NTPN.lower())

    assert event_terakhir(kode_billing_stream_id(kode)) == PembayaranDiterima(
        kode=kode,
        ntpn=NTPN,
        ntb="NTB-000123",
        tanggal_bayar=wib(2025, 12, 2, 11, 0),
        nominal=1_250_000,
        bank="Bank A",
    )
    assert (jawaban.kode, jawaban.ntpn, jawaban.nominal, jawaban.bank) == (
        kode,
        NTPN,
        1_250_000,
        "Bank A",
    )
    assert IndeksKodeBilling.objects.values_list("status", "ntpn").get() == ("DIBAYAR", NTPN)


def test_the_same_report_twice_gets_the_same_answer_and_records_one_payment():
    aktifkan()
    kode = buat().kode
    pertama = bayar(kode)
    kedua = bayar(kode, ntb="NTB-ULANG", pada=wib(2025, 12, 2, 11, 5))
    assert kedua == pertama
    assert jenis_event(kode_billing_stream_id(kode)) == ["KodeBillingDibuat", "PembayaranDiterima"]


def test_payment_refusals_write_nothing():
    aktifkan()
    kode = buat().kode
    lain = buat(nominal=500_000).kode
    refused(AccessDenied, "bukan_bank_persepsi", bayar, kode, principal=WARGA)
    refused(AccessDenied, "bukan_bank_persepsi", bayar, kode, principal=PETUGAS)
    refused(DomainError, "nominal_tidak_sesuai", bayar, kode, nominal=1_250_001)
    refused(DomainError, "kode_billing_tidak_dikenal", bayar, "012345678901234")
    refused(DomainError, "kode_billing_format", bayar, "412345678901234")
    refused(DomainError, "ntpn_format", bayar, kode, ntpn="12345")
    refused(DomainError, "ntb_wajib", bayar, kode, ntb=" ")
    refused(DomainError, "tanggal_bayar_tidak_valid", bayar, kode, tanggal_bayar=wib(2025, 11, 1))
    # expired when paid, even before the sweep marked it
    refused(DomainError, "kedaluwarsa", bayar, kode, tanggal_bayar=wib(2025, 12, 8, 10, 0))
    bayar(kode)
    refused(DomainError, "sudah_dibayar", bayar, kode, principal=BANK_B, ntpn="ZZZZ2C3D4E5F6G7H")
    error = refused(DomainError, "ntpn_sudah_dipakai", bayar, lain, nominal=500_000)
    assert error.message == "NTPN ini sudah dipakai untuk kode billing lain."
    assert IndeksKodeBilling.objects.get(kode=lain).status == "AKTIF"


# --- expiry -----------------------------------------------------------------------------------
def test_the_beat_job_expires_unpaid_codes_once_their_validity_has_passed():
    aktifkan()
    belum = buat(pada=wib(2025, 12, 1, 10, 0)).kode  # until 8 Dec 10:00
    dibayar = buat(pada=wib(2025, 12, 1, 10, 0)).kode
    nanti = buat(pada=wib(2025, 12, 5, 10, 0)).kode  # until 12 Dec 10:00
    bayar(dibayar)

    with clock.frozen(wib(2025, 12, 8, 9, 59)):
        assert tasks.pajak_kedaluwarsakan_billing() == 0
    with clock.frozen(wib(2025, 12, 8, 10, 0)):
        assert tasks.pajak_kedaluwarsakan_billing() == 1
        assert tasks.pajak_kedaluwarsakan_billing() == 0  # idempotent
    assert event_terakhir(kode_billing_stream_id(belum)) == KodeBillingKedaluwarsa(
        kode=belum, kedaluwarsa=wib(2025, 12, 8, 10, 0)
    )
    status = dict(IndeksKodeBilling.objects.values_list("kode", "status"))
    assert status == {belum: "KEDALUWARSA", dibayar: "DIBAYAR", nanti: "AKTIF"}
    assert jenis_event(kode_billing_stream_id(dibayar))[-1] == "PembayaranDiterima"
    terlambat = {"tanggal_bayar": wib(2025, 12, 7, 9, 0), "ntpn": "LATE2C3D4E5F6G7H"}
    refused(DomainError, "kedaluwarsa", bayar, belum, **terlambat)
