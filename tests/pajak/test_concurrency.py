"""Payments racing on PostgreSQL with real threads: two banks reporting one billing code at
the same moment record one payment (the other is refused: already paid); the same report
sent twice at once is one payment with one answer; one NTPN reported for two codes at once is
accepted for one of them only."""

import threading

import pytest
from django.apps import apps as django_apps
from django.db import connections

from apps.pajak import commands
from apps.pajak.domain.kode_billing import kode_billing_stream_id
from apps.pajak.domain.rules import TERVERIFIKASI
from apps.pajak.models import IndeksKodeBilling
from apps.pajak.seed import muat_hari_libur, muat_konfigurasi
from egov import clock
from egov.eventstore.domain import DomainError
from egov.eventstore.pseudonym import keyed_hash
from tests.pajak.perintah import BANK, BANK_B, NIK, WARGA, jenis_event, meta, wib

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__", transaction=True)]
DIBUAT, DIBAYAR = wib(2026, 3, 2, 10, 0), wib(2026, 3, 2, 11, 0)


@pytest.fixture(autouse=True)
def wajib_pajak():
    """The seed configuration (a transactional test's flush empties the migration's rows) and
    a registered citizen. Their verified identity is recorded as the policy would: on a shared
    PostgreSQL server another session's open transaction may hold the ktp feed back."""
    muat_konfigurasi(django_apps)
    muat_hari_libur(django_apps)
    commands.pajak_catat_identitas(
        nik_hash=keyed_hash(NIK), status=TERVERIFIKASI, sumber="uji", metadata=meta()
    )
    with clock.frozen(wib(2026, 3, 2, 9, 0)):
        commands.pajak_aktifkan_npwp(principal=WARGA, nik=NIK, nama="Siti", metadata=meta())


def kode_billing(nominal: int = 1_250_000) -> str:
    with clock.frozen(DIBUAT):
        return commands.pajak_buat_kode_billing(
            principal=WARGA, jenis_pajak="PPH_OP", masa="2025", nominal=nominal, metadata=meta()
        ).kode


def race(*calls) -> list:
    """Run each call in its own thread and connection, released together; their answers
    (or the refusal codes) in call order."""
    barrier, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            with clock.frozen(DIBAYAR):
                answers[i] = call()
        except DomainError as refusal:
            answers[i] = refusal.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def report(kode: str, principal=BANK, ntpn: str = "NTPNA00000000001", nominal: int = 1_250_000):
    return lambda: commands.pajak_terima_pembayaran(
        principal=principal,
        kode=kode,
        ntpn=ntpn,
        ntb=f"NTB-{principal.name}",
        tanggal_bayar=DIBAYAR,
        nominal=nominal,
        metadata=meta(principal.name),
    )


def test_two_banks_reporting_one_code_at_once_record_one_payment():
    kode = kode_billing()

    answers = race(report(kode, BANK), report(kode, BANK_B, ntpn="NTPNB00000000002"))

    assert sorted(a if isinstance(a, str) else "ok" for a in answers) == ["ok", "sudah_dibayar"]
    [paid] = [a for a in answers if not isinstance(a, str)]
    assert jenis_event(kode_billing_stream_id(kode)) == ["KodeBillingDibuat", "PembayaranDiterima"]
    assert IndeksKodeBilling.objects.values_list("status", "ntpn").get() == ("DIBAYAR", paid.ntpn)


def test_the_same_report_twice_at_once_is_one_payment_with_one_answer():
    kode = kode_billing()

    first, second = race(report(kode), report(kode))

    assert first == second
    assert first.ntpn == "NTPNA00000000001"
    assert jenis_event(kode_billing_stream_id(kode)) == ["KodeBillingDibuat", "PembayaranDiterima"]


def test_one_ntpn_reported_for_two_codes_at_once_is_accepted_once():
    satu, dua = kode_billing(), kode_billing()

    answers = race(report(satu), report(dua, BANK_B))

    assert sorted(a if isinstance(a, str) else "ok" for a in answers) == [
        "ntpn_sudah_dipakai",
        "ok",
    ]
    status = sorted(IndeksKodeBilling.objects.values_list("status", "ntpn"))
    assert status == [("AKTIF", ""), ("DIBAYAR", "NTPNA00000000001")]
    events = jenis_event(kode_billing_stream_id(satu)) + jenis_event(kode_billing_stream_id(dua))
    assert events.count("PembayaranDiterima") == 1
