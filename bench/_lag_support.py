"""Helpers of bench/projection_lag.py: the real workers, what is sampled while it runs (every
projector's checkpoint, queue depths, CPU, the oldest open transaction) and the statistics.

Imported after ``django.setup()``.
"""

from __future__ import annotations

import bisect
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis
from django.conf import settings
from django.db import connections

from egov.eventstore.models import Checkpoint

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")
# The Procfile's workers: one per queue group, prefork, concurrency 2.
WORKER_GROUPS = {
    "ktp": ["ktp"],
    "izin": ["izin"],
    "pajak": ["pajak"],
    "bansos": ["bansos"],
    "kecil": ["audit", "notifikasi", "bus", "egov"],
}
PRIORITY_STEPS = (0, 3, 6, 9)  # settings.CELERY_BROKER_TRANSPORT_OPTIONS["priority_steps"]
REDIS_SEP = "\x06\x16"  # kombu's Redis transport: "<queue>\x06\x16<step>" per priority step


def import_pajak_realtime():
    """bench/pajak_realtime.py's helpers (``prepare``, ``empty``). Importing it sets its own
    environment (databases ``egov_rt``, broker /7) and calls ``django.setup()``: Django is
    already set up by then (so its settings do not apply) and the environment is restored, so
    the workers started later get this bench's."""
    saved = dict(os.environ)
    try:
        return importlib.import_module("pajak_realtime")
    finally:
        os.environ.clear()
        os.environ.update(saved)


# --- workers ----------------------------------------------------------------------------------
@dataclass
class Workers:
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs.values()]

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                print(f"(worker {name} did not stop in 30 s: killed)")
                proc.kill()
                proc.wait()


def _spawn(name: str, args: list[str], workers: Workers) -> None:
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the worker writes it until stopped
        "w+", prefix=f"bench-lag-{name}-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "egov", *args],
        env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    workers.procs[name], workers.logs[name] = proc, log.name


def start_workers(prefix: str, *, concurrency: int, schedule_dir: str) -> Workers:
    """One worker per queue group as the Procfile starts them, and the beat (its sweep of
    every projector every PROJECTION_SWEEP_SECONDS). Returns once every worker is ready."""
    workers = Workers()
    try:
        for name, contexts in WORKER_GROUPS.items():
            queues = ",".join(f"{prefix}{context}" for context in contexts)
            _spawn(name, ["worker", "-Q", queues, "-n", f"{name}-lag@%h", "--concurrency",
                          str(concurrency), "--without-gossip", "--without-mingle",
                          "--loglevel", "INFO"], workers)  # fmt: skip
        _spawn("beat", ["beat", "--loglevel", "INFO", "--schedule",
                        f"{schedule_dir}/celerybeat-schedule"], workers)  # fmt: skip
        deadline = time.monotonic() + 90
        waiting = set(WORKER_GROUPS)
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                if workers.procs[name].poll() is not None:
                    raise RuntimeError(f"worker {name} exited: {_tail(workers.logs[name])}")
                if " ready." in Path(workers.logs[name]).read_text():
                    waiting.discard(name)
            time.sleep(0.2)
        if waiting:
            raise RuntimeError(f"workers not ready after 90 s: {sorted(waiting)}")
    except BaseException:
        workers.stop()
        raise
    return workers


def _tail(path: str) -> str:
    return Path(path).read_text()[-2000:]


def queue_lists(queue: str) -> list[str]:
    return [queue if step == 0 else f"{queue}{REDIS_SEP}{step}" for step in PRIORITY_STEPS]


def queue_depth(client: redis.Redis, queue: str) -> int:
    pipe = client.pipeline()
    for name in queue_lists(queue):
        pipe.llen(name)
    return sum(pipe.execute())


# --- checkpoints ----------------------------------------------------------------------------
class CheckpointPoller(threading.Thread):
    """Reads every projector's checkpoint on every read alias, as often as it can (a pause of
    ``interval`` between rounds), and keeps each change with the moment the round started.
    The checkpoint commits with the projector's rows, so a checkpoint at or past an event
    means the event's rows are in the read table; the round's start is an upper bound on when
    they became visible (the resolution is one round)."""

    # 50 ms between rounds: at 10 ms the poller's ~800 queries/s took a large share of the
    # 2-core machine it measures (lag figures are seconds; the resolution is one round).
    def __init__(self, aliases: list[str], interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.aliases, self.interval = aliases, interval
        self.history: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
        self._index: dict[tuple[str, str], tuple[list, list]] = {}
        self.rounds, self.stopping = 0, threading.Event()

    def run(self) -> None:
        sql = f"SELECT projector, feed, tx, position FROM {Checkpoint._meta.db_table}"
        try:
            while not self.stopping.is_set():
                for alias in self.aliases:
                    started = time.time()
                    with connections[alias].cursor() as cursor:
                        cursor.execute(sql)
                        rows = cursor.fetchall()
                    for projector, feed, tx, position in rows:
                        seen = self.history.setdefault((projector, feed), [])
                        if not seen or (seen[-1][1], seen[-1][2]) != (tx, position):
                            seen.append((started, tx, position))
                self.rounds += 1
                time.sleep(self.interval)
        finally:
            connections.close_all()

    def reset(self) -> None:
        """A new store (emptied): the checkpoints start again from nothing."""
        self.history, self._index = {}, {}

    def seen_at(self, projector: str, feed: str, cursor: tuple[int, int]) -> float | None:
        """When the projector's checkpoint on ``feed`` was first seen at or past ``cursor``
        (call once the run is over: the index is built once per checkpoint)."""
        key = (projector, feed)
        if key not in self._index:
            seen = self.history.get(key, [])
            self._index[key] = ([(tx, pos) for _t, tx, pos in seen], [t for t, _x, _p in seen])
        cursors, times = self._index[key]
        index = bisect.bisect_left(cursors, cursor)
        return times[index] if index < len(times) else None

    def cursor(self, projector: str, feed: str) -> tuple[int, int]:
        seen = self.history.get((projector, feed))
        return (seen[-1][1], seen[-1][2]) if seen else (0, 0)


# --- every second: queues, CPU, the oldest transaction -----------------------------------------
def _processes() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, command, CPU ticks) of every process."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1 : text.rindex(")")]
        rest = text[text.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(rest[1]), comm, int(rest[11]) + int(rest[12]))
    return found


def _busy_ticks() -> tuple[int, int]:
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def _descendants(roots: set[int], procs: dict[int, tuple[int, str, int]]) -> set[int]:
    found = set(roots) & set(procs)
    grew = True
    while grew:
        more = {pid for pid, (ppid, _c, _t) in procs.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found


@dataclass
class Sample:
    at: float
    depth: dict[str, int]
    cpu_busy: float  # % of the whole machine (all cores)
    cpu: dict[str, float]  # % of one core, per group
    oldest_xact: float  # seconds: the oldest transaction holding an xid, on the whole server
    connections: int  # to this bench's databases (PostgreSQL allows 100 for everyone)


class Sampler(threading.Thread):
    """Every second: each queue group's depth (Redis LLEN over its priority lists), the
    machine's CPU (/proc/stat) and that of the writers, the workers (with their children and
    the beat) and every PostgreSQL backend (/proc/<pid>/stat), and the age of the oldest
    transaction holding an xid on the server (it holds every feed back: egov/eventstore/feed.py)."""

    def __init__(self, broker: str, prefix: str, writer_pids: list[int], alias: str) -> None:
        super().__init__(daemon=True)
        self.client = redis.Redis.from_url(broker)
        self.prefix, self.writer_pids, self.alias = prefix, set(writer_pids), alias
        self.worker_pids: set[int] = set()
        self.samples: list[Sample] = []
        self.stopping = threading.Event()

    def _server(self) -> tuple[float, int]:
        """The oldest transaction holding an xid (s) and the connections to our databases."""
        prefix = settings.DATABASES[self.alias]["NAME"].rsplit("_", 1)[0]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)) "
                "FILTER (WHERE backend_xid IS NOT NULL), 0), count(*) FILTER (WHERE datname "
                "LIKE %s) FROM pg_stat_activity",
                [f"{prefix}_%"],
            )
            oldest, count = cursor.fetchone()
            return float(oldest), int(count)

    def _groups(self, procs) -> dict[str, int]:
        writers = _descendants(self.writer_pids, procs)
        workers = _descendants(self.worker_pids, procs)
        postgres = {pid for pid, (_p, comm, _t) in procs.items() if comm.startswith("postgres")}
        return {
            "writers": sum(procs[pid][2] for pid in writers),
            "workers": sum(procs[pid][2] for pid in workers),
            "postgres": sum(procs[pid][2] for pid in postgres),
        }

    def run(self) -> None:
        busy, total = _busy_ticks()
        groups = self._groups(_processes())
        try:
            while not self.stopping.wait(1.0):
                now = time.time()
                new_busy, new_total = _busy_ticks()
                new_groups = self._groups(_processes())
                elapsed = max(new_total - total, 1)
                ncpu = os.cpu_count() or 1
                oldest, count = self._server()
                depth = {
                    name: sum(queue_depth(self.client, f"{self.prefix}{c}") for c in contexts)
                    for name, contexts in WORKER_GROUPS.items()
                }
                self.samples.append(
                    Sample(
                        at=now,
                        depth=depth,
                        cpu_busy=100 * (new_busy - busy) / elapsed,
                        cpu={
                            k: max(0.0, 100 * ncpu * (new_groups[k] - groups[k]) / elapsed)
                            for k in new_groups
                        },
                        oldest_xact=oldest,
                        connections=count,
                    )
                )
                busy, total, groups = new_busy, new_total, new_groups
        finally:
            connections.close_all()

    def between(self, start: float, end: float) -> list[Sample]:
        return [s for s in self.samples if start < s.at <= end + 1.0]


# --- statistics -------------------------------------------------------------------------------
def quantiles_ms(values: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99, max in milliseconds."""
    ms = sorted(v * 1000 for v in values)
    if len(ms) == 1:
        return ms[0], ms[0], ms[0], ms[0]
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return q[49], q[94], q[98], ms[-1]
