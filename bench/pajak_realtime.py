"""How soon a payment reaches the DJP dashboard on the real stack: PostgreSQL, Redis, a real
Celery worker process and egov's production settings (no test shortcut in the feed).

Each payment is committed as the bank's report commits it (the billing code's
``PembayaranDiterima`` through pajak's store); the store schedules ``pajak.statistik`` on the
worker after the commit. A poller (its own connection, every 5 ms) notes when the code's row
in the read table says DIBAYAR. Latency = that moment minus the commit.

Side by side in one run (each on an emptied store, the same payments; the queue drained
between runs, and how many tasks were left is printed):
- egov: a run of each projector scheduled after every commit, coalesced (no new task while
  one for the same projector waits in the queue: egov/eventstore/coalesce.py, on with the
  shared cache ``make up`` configures), beat sweeping as well;
- the same without coalescing (every commit sends one task per projector);
- baseline: no per-commit scheduling, only the beat sweep (every ``--sweep`` seconds): how a
  read side fed by a periodic job alone would keep up.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/pajak_realtime.py
       [--payments 300] [--rate 10] [--sweep 2]
Uses its own databases (egov_rt_*) and Redis database 7; prints p50 / p95 / p99 / max.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")
QUEUE = f"egov-rt-{uuid.uuid4().hex[:6]}"
# Production settings with bench-only keys (the test suite's fixed ones: never real data).
os.environ.update(
    DJANGO_SETTINGS_MODULE="egov.settings",
    EGOV_DB_PREFIX="egov_rt",
    CELERY_BROKER_URL=BROKER,
    CELERY_QUEUE=QUEUE,
    CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8"),  # web + worker
    SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",  # noqa: S106
    PERSONAL_DATA_MASTER_KEY="dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
    PSEUDONYM_KEY="dGVzdC1vbmx5LXBzZXVkb255bS1rZXktMzItYnl0ZXM=",
    AUDIT_SIGNING_KEY="dGVzdC1vbmx5LWF1ZGl0LXNpZ25pbmcta2V5LTMyYiE=",
)

import django  # noqa: E402
import redis  # noqa: E402

django.setup()

import _databases as databases  # noqa: E402 - bench/ is on the path when run as a script
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from apps.pajak.commands import subjek_badan  # noqa: E402
from apps.pajak.commands._unit import simpan  # noqa: E402
from apps.pajak.domain.kode_billing import KodeBilling, kode_billing_stream_id  # noqa: E402
from apps.pajak.domain.rules import DIBAYAR  # noqa: E402
from apps.pajak.domain.tarif_bawaan import KONFIGURASI_BAWAAN  # noqa: E402
from apps.pajak.domain.wajib_pajak import WajibPajak, wajib_pajak_stream_id  # noqa: E402
from apps.pajak.read_models import KodeBillingRingkas  # noqa: E402
from egov import clock  # noqa: E402
from egov.db import atomic  # noqa: E402
from egov.eventstore import projections  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from egov.eventstore.tasks import sweep_projections  # noqa: E402

META = EventMetadata(actor="bench", source="bench")
MODES = (  # label, a run scheduled after each commit, coalesced (one queued run per projector)
    ("egov: a run after each commit, coalesced", True, True),
    ("each commit sends a run (not coalesced)", True, False),
    ("baseline: beat sweep only", False, False),
)
NPWP = "0123456782000000"  # a valid NPWP16: 0, 12345678, Luhn check digit 2, 000, 000


def prepare() -> None:
    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("migrate_all", verbosity=0)


def empty() -> None:
    """Every context's events, keys and rows gone, the seeded configuration back."""
    databases.empty()


def start_worker() -> subprocess.Popen:
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-worker-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "egov", "worker", "--pool", "threads",
         "--concurrency", "2", "-Q", QUEUE, "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel", "WARNING"],
        env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    proc.log_path = log.name
    time.sleep(6)  # the worker connects and declares its queue
    if proc.poll() is not None:
        sys.exit(f"worker did not start: {Path(log.name).read_text()[-2000:]}")
    return proc


class Poller(threading.Thread):
    """Notes the moment each code's read row says DIBAYAR (own connection, every 5 ms)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.waiting: dict[str, float] = {}  # code -> commit time
        self.latencies: list[float] = []
        self.lock, self.stopping = threading.Lock(), False

    def expect(self, kode: str, committed: float) -> None:
        with self.lock:
            self.waiting[kode] = committed

    def run(self) -> None:
        rows = KodeBillingRingkas.objects.using("pajak_read")
        while not self.stopping:
            with self.lock:
                codes = list(self.waiting)
            if codes:
                paid = rows.filter(kode__in=codes, status=DIBAYAR).values_list("kode", flat=True)
                seen = time.monotonic()
                with self.lock:
                    for kode in paid:
                        self.latencies.append(seen - self.waiting.pop(kode))
            time.sleep(0.005)
        connections.close_all()


def company() -> WajibPajak:
    subjek = subjek_badan(NPWP)
    wp = WajibPajak(wajib_pajak_stream_id(subjek))
    wp.daftar_badan(
        npwp=NPWP,
        subjek_id=subjek,
        nama="PT Bench Real Time",
        kode_wilayah="3273",
        sekarang=clock.now(),
    )
    with atomic("pajak"):
        simpan(wp, META)
    return wp


def drain() -> int:
    """Wait until the worker's queue is empty (tasks left by the previous run would project
    the next run's events); returns how many were waiting."""
    queue = redis.Redis.from_url(BROKER)
    waiting = queue.llen(QUEUE)
    while queue.llen(QUEUE):
        time.sleep(0.2)
    time.sleep(2)  # the tasks already taken finish
    return waiting


def run(label: str, wp: WajibPajak, payments: int, rate: float, sweep: float) -> list[float]:
    poller = Poller()
    poller.start()
    next_sweep = time.monotonic() + sweep
    for i in range(payments):
        started = time.monotonic()
        kode = f"1{uuid.uuid4().int % 10**14:014d}"
        code = KodeBilling(kode_billing_stream_id(kode))
        now = clock.now()
        code.buat(kode=kode, wajib_pajak=wp, jenis="PPN", masa=f"{now:%Y-%m}", nominal=1_000_000,
                  sekarang=now, konfigurasi=KONFIGURASI_BAWAAN)  # fmt: skip
        with atomic("pajak"):
            simpan(code, META)
        code.terima_pembayaran(ntpn=f"{i:016X}", ntb=f"NTB{i}", tanggal_bayar=clock.now(),
                               nominal=code.nominal, bank="Bank Bench")  # fmt: skip
        with atomic("pajak"):
            simpan(code, META)
        poller.expect(kode, time.monotonic())  # after the commit (and its scheduling)
        if time.monotonic() >= next_sweep:  # beat
            sweep_projections.delay()
            next_sweep = time.monotonic() + sweep
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    deadline = time.monotonic() + 60
    while poller.waiting and time.monotonic() < deadline:
        if time.monotonic() >= next_sweep:
            sweep_projections.delay()
            next_sweep = time.monotonic() + sweep
        time.sleep(0.05)
    poller.stopping = True
    poller.join()
    if poller.waiting:
        sys.exit(f"{label}: {len(poller.waiting)} payments never reached the read table")
    return poller.latencies


def summary(label: str, latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return f"{label:58} {q[49]:>8.0f} {q[94]:>8.0f} {q[98]:>8.0f} {ms[-1]:>8.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0, help="payments per second")
    parser.add_argument("--sweep", type=float, default=2.0, help="beat sweep interval (s)")
    args = parser.parse_args()
    prepare()
    worker = start_worker()
    results = {}
    try:
        for label, per_commit, coalesced in MODES:
            left = drain()
            if left:
                print(f"(waited for {left} tasks left in the queue before: {label})")
            empty()
            wp = company()
            saved = projections.dispatchers()
            if not per_commit:
                projections.set_dispatcher(lambda _name: None)
            settings.PROJECTION_COALESCE = coalesced
            try:
                results[label] = run(label, wp, args.payments, args.rate, args.sweep)
            finally:
                projections.set_dispatcher(*saved)
        print(f"(tasks left in the queue after the last run: {drain()})")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(
        f"{args.payments} payments at {args.rate:g}/s, sweep every {args.sweep:g} s, worker: "
        f"Celery threads x2, broker {BROKER}, load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'commit -> row in the read table (ms)':58} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}"
    )
    for label, latencies in results.items():
        print(summary(label, latencies))


if __name__ == "__main__":
    main()
