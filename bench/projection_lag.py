"""Projection lag under sustained load (issue 14, target 4): commit -> row in the read table
for every projector, with real Celery workers, while several writer processes issue a mix of
commands across contexts at a fixed rate, then a 5x burst and the time the lag takes to drain.

Workload: W writer processes (forked, each its own connections) run, in turn, the use cases
themselves as their principals: ``ktp_ajukan`` (a Dukcapil officer at the counter, a new NIK
each time), ``izin_ajukan`` (an OSS integrator, a new applicant and business each time),
``pajak_buat_kode_billing`` (a DJP officer, for one company) and ``pajak_terima_pembayaran``
(a perception bank pays the code just issued): 25 % ktp, 25 % izin, 50 % pajak. Each writer
paces its commands on a schedule (open loop: a writer that falls behind runs back to back and
the achieved rate is reported).

Measured: the commit time of each command (noted by a listener run first on the commit hook,
before the projectors are scheduled) and, for each projector, the moment its checkpoint was
first seen at or past the event (the checkpoint commits with the projector's rows, so that is
the moment the rows are readable; a poller reads every read database's checkpoints about every
50 ms). Events appended by policies in reaction (notifikasi...) count from their
``recorded_at``. Read rows keep the event's time, not the time they were written (replays
must not change them), so they cannot tell the lag themselves. Every second: queue depth
(Redis LLEN), CPU (machine, writers, workers, PostgreSQL), the oldest transaction holding an
xid on the server (it holds every feed back).

Side by side in one run, each on an emptied store, the same writers and schedule:
- ``none``: no projection at all (the commit hook's projector scheduling switched off): what
  the writers alone reach;
- ``in-process``: every projector of the context run in the writer right after each commit
  (what ``schedule_projectors`` does when the broker is down);
- ``async`` (production): a run of each projector sent to its context's queue after each
  commit, coalesced through the shared cache, five Celery workers as the Procfile starts them
  (ktp, izin, pajak, bansos, and audit+notifikasi+bus+egov; prefork, concurrency 2, a private
  ``CELERY_QUEUE_PREFIX``) and the beat (projection sweep every PROJECTION_SWEEP_SECONDS).

Connections: every process keeps one per database it touches (15 aliases; the audit and
notification workers touch most of them), and PostgreSQL's 100 are shared with whatever else
runs on the server. Hence the defaults: 3 writers and one process per worker (the Procfile's
``--concurrency 2`` doubles the workers' ~28 connections); the peak count is printed.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/projection_lag.py
       [--rates 50,100,200] [--seconds 20] [--burst-seconds 5] [--writers 4] [--modes ...]
Own databases (egov_bench_lag_*, created and migrated), Redis databases 10 (broker) and 11
(cache).
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/10")
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/11")
QUEUE_PREFIX = f"lag{uuid.uuid4().hex[:6]}-"
# Production settings with bench-only keys (the test suite's fixed ones: never real data).
os.environ.update(
    DJANGO_SETTINGS_MODULE="egov.settings",
    EGOV_DB_PREFIX="egov_bench_lag",
    CELERY_BROKER_URL=BROKER,
    CELERY_QUEUE_PREFIX=QUEUE_PREFIX,
    CACHE_URL=CACHE,
    SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",  # noqa: S106
    PERSONAL_DATA_MASTER_KEY="dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
    PSEUDONYM_KEY="dGVzdC1vbmx5LXBzZXVkb255bS1rZXktMzItYnl0ZXM=",
    AUDIT_SIGNING_KEY="dGVzdC1vbmx5LWF1ZGl0LXNpZ25pbmcta2V5LTMyYiE=",
)
os.environ.pop("CELERY_QUEUE", None)  # routing per context, as in production

import django  # noqa: E402
import redis  # noqa: E402

django.setup()

from _lag_support import (  # noqa: E402
    WORKER_GROUPS,
    CheckpointPoller,
    Sampler,
    import_pajak_realtime,
    quantiles_ms,
    queue_depth,
    queue_lists,
    start_workers,
)
from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

from apps.izin.commands import izin_ajukan  # noqa: E402
from apps.ktp.commands import ktp_ajukan  # noqa: E402
from apps.pajak.commands import (  # noqa: E402
    pajak_buat_kode_billing,
    pajak_daftar_badan,
    pajak_terima_pembayaran,
)
from apps.pajak.domain.kode_billing import kode_billing_stream_id  # noqa: E402
from egov import clock  # noqa: E402
from egov.databases import read_alias  # noqa: E402
from egov.eventstore import hooks, projections  # noqa: E402
from egov.eventstore.store import get_store  # noqa: E402
from egov.identity import parse_nik  # noqa: E402
from egov.principals import INTEGRATOR, OFFICER, Principal  # noqa: E402

realtime = import_pajak_realtime()  # prepare(), empty(): the same databases' set-up

LOKET_KTP = Principal(
    kind=OFFICER, id="user:bench-dukcapil", name="bench-dukcapil",
    roles=frozenset({"petugas_dukcapil"}),
)  # fmt: skip
OSS = Principal(
    kind=INTEGRATOR, id="client:bench-oss", name="bench-oss", scopes=frozenset({"izin:ajukan"})
)
DJP = Principal(
    kind=OFFICER, id="user:bench-djp", name="bench-djp", roles=frozenset({"petugas_djp"})
)
BANK = Principal(
    kind=INTEGRATOR, id="client:bench-bank", name="Bank Bench",
    scopes=frozenset({"pajak:pembayaran"}),
)  # fmt: skip
NPWP = "0123456782000000"  # a valid NPWP16 (bench/pajak_realtime.py)
NOMINAL = 1_000_000
KINDS = ("ktp", "izin", "pajak-billing", "pajak-bayar")
CONTEXTS = ("ktp", "izin", "pajak")  # the feeds the commands write
MODES = ("none", "in-process", "async")
SCHEDULER = projections.schedule_projectors
WORKER_DISPATCH = projections._dispatch  # the Celery task's delay, set at start-up


# --- the commands -------------------------------------------------------------------------------
def nik(writer: int, n: int) -> str:
    """A valid NIK, different for every (writer, n): born 1950-1999, serial per writer."""
    day, month, year = n % 28 + 1, (n // 28) % 12 + 1, 50 + (n // 336) % 50
    return f"327301{day:02d}{month:02d}{year:02d}{writer * 500 + n // 16800 + 1:04d}"


class Writer:
    """One writer process's state: its counter, the code it issued last, its company."""

    def __init__(self, index: int) -> None:
        self.index, self.n, self.code, self.wajib_pajak = index, 0, "", None

    def command(self, kind: str) -> tuple[str, uuid.UUID]:
        """Run one use case; returns the context and the stream its events went to."""
        self.n += 1
        if kind == "ktp":
            number = nik(self.index, self.n)
            born = parse_nik(number, today=clock.today()).birth_date
            request = ktp_ajukan(
                principal=LOKET_KTP, nik=number, nama=f"Warga {self.index}-{self.n}",
                tanggal_lahir=born, pernah_kawin=False, jenis="BARU",
                metadata=LOKET_KTP.metadata(source="bench"),
            )  # fmt: skip
            return "ktp", request
        if kind == "izin":
            permohonan = izin_ajukan(
                principal=OSS, nik=nik(self.index, self.n), nama_pemohon=f"Pemohon {self.n}",
                jenis_pelaku="PERORANGAN", nama_usaha=f"Warung {self.index}-{self.n}",
                kbli_kode="56102", kbli_versi="2020", kode_wilayah="3273", skala="MIKRO",
                nilai_investasi=Decimal(50_000_000), metadata=OSS.metadata(source="bench"),
            )  # fmt: skip
            return "izin", permohonan
        if kind == "pajak-bayar" and self.code:
            code, self.code = self.code, ""
            pajak_terima_pembayaran(
                principal=BANK, kode=code, ntpn=f"B{self.index:02d}{self.n:013d}",
                ntb=f"NTB{self.index}-{self.n}", tanggal_bayar=clock.now(), nominal=NOMINAL,
                metadata=BANK.metadata(source="bench"),
            )  # fmt: skip
            return "pajak", kode_billing_stream_id(code)
        issued = pajak_buat_kode_billing(
            principal=DJP, wajib_pajak_id=self.wajib_pajak, jenis_pajak="PPH_BADAN",
            masa="2025", nominal=NOMINAL, metadata=DJP.metadata(source="bench"),
        )  # fmt: skip
        self.code = issued.kode
        return "pajak", kode_billing_stream_id(issued.kode)


def set_mode(mode: str) -> None:
    """How this process's commits reach the projectors (see the module's docstring)."""
    while SCHEDULER in hooks._listeners:
        hooks._listeners.remove(SCHEDULER)
    if mode != "none":
        hooks.on_events_committed(SCHEDULER)
    projections._dispatch = WORKER_DISPATCH if mode == "async" else None


def run_phase(writer: Writer, stamps: list, phase: dict) -> list[tuple]:
    """Commands on this writer's schedule from ``start`` to ``end`` (wall clock)."""
    records, k = [], 0
    interval = 1 / phase["rate"]
    while True:
        due = phase["start"] + phase["offset"] + k * interval
        if due >= phase["end"] or time.time() >= phase["end"]:
            return records
        time.sleep(max(0.0, due - time.time()))
        kind = KINDS[(writer.index + writer.n) % len(KINDS)]
        stamps.clear()
        error = ""
        try:
            context, stream = writer.command(kind)
        except Exception as exc:  # counted and shown; the bench goes on
            context, stream, error = "", None, f"{type(exc).__name__}: {exc}"[:200]
        committed = stamps[-1] if stamps else time.time()
        records.append((phase["name"], kind, context, stream, due, committed, error))
        k += 1


def writer_main(index: int, inbox, outbox) -> None:
    """A writer process (forked after the parent closed its connections)."""
    stamps: list[float] = []
    # First on the commit hook: the commit's time, before any projector is scheduled or run.
    hooks._listeners.insert(0, lambda _context: stamps.append(time.time()))
    writer = Writer(index)
    try:
        while (message := inbox.get())[0] != "stop":
            if message[0] == "mode":
                connections.close_all()  # the last mode's read aliases: connections are scarce
                set_mode(message[1])
                writer.wajib_pajak, writer.code = message[2], ""
                outbox.put((index, []))
            else:
                outbox.put((index, run_phase(writer, stamps, message[1])))
    finally:
        connections.close_all()


class Writers:
    def __init__(self, count: int) -> None:
        connections.close_all()  # nothing open is shared with the forked writers
        context = multiprocessing.get_context("fork")
        self.outbox = context.Queue()
        self.inboxes = [context.Queue() for _ in range(count)]
        self.procs = [
            context.Process(target=writer_main, args=(i, inbox, self.outbox), daemon=True)
            for i, inbox in enumerate(self.inboxes)
        ]
        for proc in self.procs:
            proc.start()

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def ask(self, message: tuple) -> list[tuple]:
        for inbox in self.inboxes:
            inbox.put(message)
        records = []
        for _ in self.inboxes:
            records.extend(self.outbox.get(timeout=600)[1])
        return records

    def stop(self) -> None:
        for inbox in self.inboxes:
            inbox.put(("stop",))
        for proc in self.procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.terminate()


# --- a mode: store emptied, scene set, phases run, lag collected --------------------------------
def relevant_projectors() -> list[projections.Projector]:
    return [p for p in projections.all_projectors() if set(p.subscriptions) & set(FEEDS)]


FEEDS = (*CONTEXTS, "notifikasi")  # notifikasi: the events its policy appends in reaction


def feed_events(context: str) -> list[tuple]:
    """(tx, position, stream, recorded_at) of every event of a context's feed."""
    store = get_store(context)
    table = store.event_model._meta.db_table
    with connections[store.alias].cursor() as cursor:
        cursor.execute(
            f'SELECT tx_id::text::bigint, "position", stream_id, recorded_at FROM {table} '
            'ORDER BY tx_id, "position"'
        )
        return cursor.fetchall()


def behind(poller: CheckpointPoller) -> list[str]:
    """The (projector, feed) whose checkpoint is not at the feed's head."""
    late = []
    for context in FEEDS:
        events = feed_events(context)
        head = (events[-1][0], events[-1][1]) if events else (0, 0)
        for projector in relevant_projectors():
            if context in projector.subscriptions and poller.cursor(projector.name, context) < head:
                late.append(f"{projector.name}@{context}")
    return late


def drained(poller: CheckpointPoller, client: redis.Redis, mode: str) -> bool:
    """Every projector's checkpoint at its feeds' heads and (async) no task waiting."""
    if behind(poller):
        return False
    return mode != "async" or not any(
        queue_depth(client, f"{QUEUE_PREFIX}{c}") for group in WORKER_GROUPS.values() for c in group
    )


def wait_drained(poller: CheckpointPoller, client: redis.Redis, mode: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if drained(poller, client, mode):
            return True
        time.sleep(0.5)
    return False


def scene() -> uuid.UUID:
    """The company whose billing codes the writers issue (registered by a DJP officer)."""
    return pajak_daftar_badan(
        principal=DJP, npwp=NPWP, nama="PT Bench Lag", kode_wilayah="3273",
        metadata=DJP.metadata(source="bench"),
    )  # fmt: skip


def phases(args) -> list[dict]:
    top = max(args.rates)
    steps = [(f"{rate:g}/s", rate, args.seconds) for rate in args.rates]
    return [dict(name=n, rate=r, seconds=s) for n, r, s in steps] + [
        dict(name=f"burst {5 * top:g}/s", rate=5 * top, seconds=args.burst_seconds)
    ]


def run_mode(mode: str, writers: Writers, args, sampler: Sampler) -> dict:
    client = redis.Redis.from_url(BROKER)
    realtime.empty()
    redis.Redis.from_url(CACHE).flushdb()  # coalescing claims of the last mode
    set_mode(mode)
    wajib_pajak = scene()
    connections.close_all()  # PostgreSQL's 100 connections are shared with the workers
    writers.ask(("mode", mode, wajib_pajak))
    aliases = sorted({read_alias(p.context) for p in relevant_projectors()})
    poller = CheckpointPoller(aliases)
    poller.start()
    windows, records = [], []
    try:
        if mode != "none" and not wait_drained(poller, client, mode, 60):
            print(f"({mode}: the scene did not drain in 60 s)")
        for phase in phases(args):
            start = time.time() + 1.0
            end = start + phase["seconds"]
            per_writer = phase["rate"] / len(writers.procs)
            message = {**phase, "rate": per_writer, "start": start, "end": end}
            got = []
            for i, inbox in enumerate(writers.inboxes):
                inbox.put(("phase", {**message, "offset": i / phase["rate"]}))
            for _ in writers.inboxes:
                got.extend(writers.outbox.get(timeout=600)[1])
            finished = max([end, *(r[5] for r in got)])
            ok = mode == "none" or wait_drained(poller, client, mode, args.drain_timeout)
            windows.append({**phase, "start": start, "end": end, "finished": finished,
                            "quiet": time.time(), "drained": ok})  # fmt: skip
            records.extend(got)
            done = sum(1 for r in got if not r[6])
            note = "" if ok else f" (NOT drained: {', '.join(behind(poller)) or 'queues'})"
            print(f"  {mode:10} {phase['name']:>12}: {done} commands{note}", flush=True)
    finally:
        poller.stopping.set()
        poller.join()
    events = {context: feed_events(context) for context in FEEDS}
    return analyse(mode, windows, records, events, poller, sampler)


# --- analysis -----------------------------------------------------------------------------------
def commit_times(records: list[tuple], events: dict) -> dict[tuple[str, int], float]:
    """(context, tx) -> commit time noted by the writer. A stream's commands and its
    transactions come in the same order (one writer per stream)."""
    by_stream: dict[tuple[str, uuid.UUID], list[float]] = defaultdict(list)
    for _phase, _kind, context, stream, _due, committed, error in records:
        if not error:
            by_stream[(context, stream)].append(committed)
    times = {}
    for context, rows in events.items():
        txs: dict[uuid.UUID, list[int]] = defaultdict(list)
        for tx, _pos, stream, _rec in rows:
            if not txs[stream] or txs[stream][-1] != tx:
                txs[stream].append(tx)
        for stream, tx_list in txs.items():
            commits = sorted(by_stream.get((context, stream), []))
            for tx, committed in zip(tx_list, commits, strict=False):
                times[(context, tx)] = committed
    return times


def analyse(mode, windows, records, events, poller, sampler) -> dict:
    commits = commit_times(records, events)
    projectors = relevant_projectors()
    result = {"mode": mode, "phases": []}
    bounds = [w["start"] for w in windows[1:]] + [float("inf")]
    for window, next_start in zip(windows, bounds, strict=True):
        lags: dict[str, list[float]] = defaultdict(list)
        missing: dict[str, int] = defaultdict(int)
        last_seen, count = window["end"], 0
        for context, rows in events.items():
            for tx, pos, _stream, recorded in rows:
                committed = commits.get((context, tx), recorded.timestamp())
                if not window["start"] <= committed < next_start:
                    continue
                count += 1
                for projector in projectors:
                    if context not in projector.subscriptions or mode == "none":
                        continue
                    seen = poller.seen_at(projector.name, context, (tx, pos))
                    if seen is None:
                        missing[projector.name] += 1
                        continue
                    lags[projector.name].append(max(0.0, seen - committed))
                    last_seen = max(last_seen, seen)
        done = [r for r in records if r[0] == window["name"]]
        ok = [r for r in done if not r[6]]
        samples = sampler.between(window["start"], window["quiet"])
        busy = [s for s in samples if s.at <= window["finished"] + 1]
        result["phases"].append({
            **window, "commands": len(ok), "errors": [r[6] for r in done if r[6]],
            "achieved": len(ok) / (window["finished"] - window["start"]), "events": count,
            "lags": dict(lags), "missing": dict(missing),
            "drain": last_seen - window["finished"], "samples": samples, "busy": busy,
            "commits": [r[5] for r in ok],
        })  # fmt: skip
    return result


# --- report -------------------------------------------------------------------------------------
def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


MACHINE_HEAD = f"{'machine':>7} {'writers':>7} {'workers':>7} {'pg':>5} {'old tx':>6} {'conns':>5}"


def machine(samples: list) -> str:
    """Mean CPU (machine: % of all cores; the groups: % of one core), the oldest transaction
    holding an xid (s) and the connections to this bench's databases (max)."""
    return (
        f"{mean(s.cpu_busy for s in samples):>6.0f}% "
        f"{mean(s.cpu['writers'] for s in samples):>6.0f}% "
        f"{mean(s.cpu['workers'] for s in samples):>6.0f}% "
        f"{mean(s.cpu['postgres'] for s in samples):>4.0f}% "
        f"{max((s.oldest_xact for s in samples), default=0):>6.2f} "
        f"{max((s.connections for s in samples), default=0):>5}"
    )


def print_summary(results: list[dict]) -> None:
    print("\nPer phase (lag: commit -> checkpoint past the event, every projector together; "
          "CPU while writing):")  # fmt: skip
    print(f"{'mode':10} {'phase':>13} {'target':>7} {'achieved':>8} {'events':>7} "
          f"{'p50 ms':>7} {'p95':>7} {'p99':>7} {'max':>7} {'drain s':>7} {'q max':>6} "
          f"{MACHINE_HEAD}")  # fmt: skip
    for result in results:
        for p in result["phases"]:
            every = [v for values in p["lags"].values() for v in values]
            q = quantiles_ms(every) if every else (float("nan"),) * 4
            depth = max((sum(s.depth.values()) for s in p["samples"]), default=0)
            drain = "-" if result["mode"] == "none" else f"{p['drain']:.1f}"
            drain += "" if p["drained"] else "!"
            print(f"{result['mode']:10} {p['name']:>13} {p['rate']:>7g} {p['achieved']:>8.0f} "
                  f"{p['events']:>7} {q[0]:>7.0f} {q[1]:>7.0f} {q[2]:>7.0f} {q[3]:>7.0f} "
                  f"{drain:>7} {depth:>6} {machine(p['busy'] or p['samples'])}")  # fmt: skip
            if p["errors"]:
                print(f"{'':25}{len(p['errors'])} commands refused, first: {p['errors'][0]}")
            if p["missing"]:
                print(f"{'':25}never projected: {p['missing']}")


def print_projectors(results: list[dict]) -> None:
    by_mode = {r["mode"]: r for r in results if r["mode"] != "none"}
    for index, phase in enumerate(next(iter(by_mode.values()))["phases"]):
        print(f"\nPer projector, {phase['name']} (commit -> its rows readable, ms):")
        print(f"{'projector':24} {'events':>7}" + "".join(
            f" | {mode:>10} p50 {'p95':>6} {'p99':>6} {'max':>6}" for mode in by_mode))  # fmt: skip
        names = sorted({n for r in by_mode.values() for n in r["phases"][index]["lags"]})
        for name in names:
            line, count = "", 0
            for r in by_mode.values():
                values = r["phases"][index]["lags"].get(name, [])
                count = max(count, len(values))
                q = quantiles_ms(values) if values else (float("nan"),) * 4
                line += f" | {q[0]:>14.0f} {q[1]:>6.0f} {q[2]:>6.0f} {q[3]:>6.0f}"
            print(f"{name:24} {count:>7}{line}")


def print_timeline(result: dict) -> None:
    print(f"\nEvery second, {result['mode']} (queue depth per worker group):")
    groups = " ".join(f"{g:>6}" for g in WORKER_GROUPS)
    print(f"{'t s':>5} {'phase':>13} {'cmds':>5} {groups} {MACHINE_HEAD}")
    t0 = result["phases"][0]["start"]
    for p in result["phases"]:
        for s in p["samples"]:
            cmds = sum(1 for c in p["commits"] if s.at - 1 < c <= s.at)
            depth = " ".join(f"{s.depth[g]:>6}" for g in WORKER_GROUPS)
            print(f"{s.at - t0:>5.0f} {p['name']:>13} {cmds:>5} {depth} {machine([s])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="200", help="sustained commands/s, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="each sustained phase")
    parser.add_argument("--burst-seconds", type=float, default=5.0)
    parser.add_argument("--writers", type=int, default=3)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="per worker (Procfile: 2; see the docstring)"
    )
    parser.add_argument("--drain-timeout", type=float, default=120.0)
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args()
    args.rates = sorted(float(x) for x in args.rates.split(","))
    modes = [m for m in MODES if m in args.modes.split(",")]
    load_before = os.getloadavg()
    realtime.prepare()
    writers = Writers(args.writers)
    sampler = Sampler(BROKER, QUEUE_PREFIX, writers.pids, "default")
    sampler.start()
    results, workers = [], None
    try:
        for mode in modes:
            if mode == "async":
                purge = redis.Redis.from_url(BROKER)
                for group in WORKER_GROUPS.values():
                    for c in group:
                        purge.delete(*queue_lists(f"{QUEUE_PREFIX}{c}"))
                schedule_dir = tempfile.mkdtemp(prefix="bench-lag-")
                workers = start_workers(
                    QUEUE_PREFIX, concurrency=args.concurrency, schedule_dir=schedule_dir
                )
                sampler.worker_pids = set(workers.pids)
            results.append(run_mode(mode, writers, args, sampler))
    finally:
        if workers:
            workers.stop()
        writers.stop()
        sampler.stopping.set()
    print(
        f"\n{args.writers} writer processes; async: {len(WORKER_GROUPS)} Celery workers (one per "
        f"queue group, prefork x{args.concurrency}) + beat, sweep every "
        f"{settings.PROJECTION_SWEEP_SECONDS:g} s, coalescing "
        f"{'on' if settings.PROJECTION_COALESCE else 'off'}; broker {BROKER}; "
        f"{os.cpu_count()} cores; load before {load_before[0]:.2f}, after "
        f"{os.getloadavg()[0]:.2f}"
    )
    print_summary(results)
    if any(r["mode"] != "none" for r in results):
        print_projectors(results)
    for result in results:
        if result["mode"] == "async":
            print_timeline(result)


if __name__ == "__main__":
    main()
