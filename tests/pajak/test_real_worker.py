"""The pajak read side on the real stack: PostgreSQL, Redis and a real Celery worker process.
Events are committed as the write side commits them; the store schedules ``pajak.statistik``
on the worker, and the dashboard follows. How long a payment takes to reach the dashboard is
printed (``-s``), not asserted (timings belong to bench/)."""

import time

import pytest

from apps.pajak import queries
from egov.eventstore import projections
from egov.eventstore.tasks import sweep_projections
from tests.pajak.skenario import (
    HARI_INI,
    bayar,
    isi_november,
    jumlahkan,
    kode_billing,
    pembayaran_dari_peristiwa,
    wib,
)
from tests.support import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(databases="__all__", transaction=True),
]
NAME = "pajak.statistik"
BEAT_SECONDS = 2.0


def settle(predicate, what: str, worker, *, timeout: float = 60):
    """Wait for ``predicate``, sending the beat sweep every ``BEAT_SECONDS`` as beat would (a
    run that meets another test suite's open transaction on a shared server applies nothing
    until the horizon passes; the sweep picks it up)."""
    next_beat = time.monotonic() + BEAT_SECONDS

    def beating():
        nonlocal next_beat
        value = predicate()
        if not value and time.monotonic() >= next_beat:
            sweep_projections.delay()
            next_beat = time.monotonic() + BEAT_SECONDS
        return value

    value = wait_until(beating, timeout=timeout, interval=0.02)
    assert value, f"{what}: not after {timeout} s\n{worker.log()[-3000:]}"
    return value


def caught_up() -> bool:
    return all(row["lag"] == 0 for row in projections.lag(projections.get_projector(NAME)))


def test_the_worker_projects_every_event_and_the_dashboard_equals_the_events(real_worker):
    s = isi_november()  # each save commits: the store schedules the projector on the worker

    settle(caught_up, "pajak.statistik caught up", real_worker)

    pembayaran = pembayaran_dari_peristiwa()
    d = queries.dasbor(HARI_INI)
    month = [p for p in pembayaran if p["bulan"] == "2026-11"]
    expected = jumlahkan(month, "jenis_pajak", "kode_provinsi")
    assert {
        (c.jenis_pajak, c.kode_provinsi): (c.jumlah_rupiah, c.jumlah_transaksi)
        for c in d.penerimaan_bulan_ini.rinci
    } == expected
    assert d.penerimaan_bulan_ini.jumlah_rupiah == 10_700_000
    assert d.penerimaan_hari_ini.jumlah_rupiah == 7_500_000
    assert (d.kode_billing_bulan_ini.diterbitkan, d.kode_billing_bulan_ini.kedaluwarsa) == (6, 1)
    assert d.jumlah_tunggakan == 1
    *_, total = queries.laporan_bulanan("2026-11")
    assert (total.jumlah_rupiah, total.jumlah_pembayar) == (10_700_000, 2)

    # One more payment today: committed, then read back from the dashboard.
    code = kode_billing(8, s.c, "PPH21", "2026-11", 400_000, wib(2026, 11, 25, 13))
    started = time.monotonic()
    bayar(code, wib(2026, 11, 25, 13, 5), "NTPN0000000000K8")
    settle(
        lambda: queries.dasbor(HARI_INI).penerimaan_hari_ini.jumlah_rupiah == 7_900_000,
        "the payment on the dashboard",
        real_worker,
    )
    print(f"\npayment committed -> on the dashboard: {time.monotonic() - started:.3f} s")
    d = queries.dasbor(HARI_INI)
    assert d.penerimaan_hari_ini.jumlah_transaksi == 3
    assert d.kode_billing_hari_ini.dibayar == 3
