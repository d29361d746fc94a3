"""Append path side by side: egov's kernel store, raw psycopg and the ``eventsourcing`` library.

Workload (issue 14, target 1): W writer processes, each running N commands; a command creates
a new aggregate (1 event, committed), then loads it and appends a second event (committed):
2 events per command. Systems, each on an emptied table, in one run:
- raw: plain psycopg 3, autocommit: INSERT, SELECT of the stream, INSERT (the floor);
- eventsourcing: ``eventsourcing[postgres]==9.5.6`` (PostgreSQL, its table lock for a gap-free
  notification log), ``Application.save`` / ``repository.get``, installed by this script into
  its own environment (``var/bench-venv``, never the project's requirements);
- egov: the kernel store (``tests.kerneltest``): ``Penghitung.buat`` saved in one transaction
  (as ``ktp_ajukan`` creates a request), then ``egov.unit_of_work.changing`` (lock-free load,
  decide, append, commit). The first event carries a personal field (the owner's name) for a
  new data subject per command, so egov also creates, wraps and stores that subject's key and
  decrypts the field on load, like a KTP request from a new citizen. The others store no
  personal data at all.

Afterwards each system's table must hold exactly W*N*2 rows, versions 1 and 2 of W*N streams,
no duplicate (stream, version); otherwise the script fails.

Usage:
  POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/append_vs_eventsourcing.py
      [--commands 300] [--writers 1,4,8] [--repeat 3] [--systems raw,eventsourcing,egov]
  ... bench/append_vs_eventsourcing.py --profile [--commands 300]   (one egov writer, cProfile)
Databases: bench_append_* (egov's, created and migrated on first run) and
bench_append_eventsourcing. Figures: docs/performance.md ("Append: egov vs eventsourcing vs raw").
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / "var" / "bench-venv"
EVENTSOURCING = "eventsourcing[postgres]==9.5.6"
# The library's extra pulls psycopg's pure-Python build; egov and the raw baseline run psycopg's
# C build (the project's psycopg[binary]): the same build for all three, or the comparison
# would measure psycopg, not the event stores.
PSYCOPG_BINARY = "psycopg[binary]==3.3.9"
ES_DB = "bench_append_eventsourcing"
ES_TABLE = "benchapplication_events"
RAW_TABLE = "bench_raw_event"
EGOV_TABLE = "kerneltest_event"
ALIAS = "kerneltest"


# --- eventsourcing writer: runs in var/bench-venv's python, imports nothing of egov ----------
def es_writer(commands: int) -> None:
    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Penghitung(Aggregate):
        @event("Dibuat")
        def __init__(self, pemilik: str, nama_pemilik: str):
            self.pemilik = pemilik
            self.nama_pemilik = nama_pemilik
            self.nilai = 0

        @event("Ditambah")
        def tambah(self, jumlah: int) -> None:
            self.nilai += jumlah

    class BenchApplication(Application):
        pass

    app = BenchApplication()  # env: PERSISTENCE_MODULE=eventsourcing.postgres, POSTGRES_*
    if not commands:
        return  # run once first, alone: creating the table concurrently fails
    app.recorder.max_notification_id()  # connect before the start signal
    started = start_signal()
    for _ in range(commands):
        counter = Penghitung(pemilik=uuid.uuid4().hex, nama_pemilik="Siti Aminah")
        app.save(counter)
        loaded = app.repository.get(counter.id)
        loaded.tambah(1)
        app.save(loaded)
    finish(started)


def ensure_bench_venv() -> Path:
    python = BENCH_VENV / "bin" / "python"
    probe = [
        str(python),
        "-c",
        "import eventsourcing.postgres, psycopg; assert psycopg.pq.__impl__ == 'binary'",
    ]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"installing {EVENTSOURCING} into {BENCH_VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    install = [str(python), "-m", "pip", "install", "--quiet", EVENTSOURCING, PSYCOPG_BINARY]
    subprocess.run(install, check=True)
    return python


def es_environ(base_url: str) -> dict[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    return {
        **os.environ,
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": ES_DB,
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": parts.username or "postgres",
        "POSTGRES_PASSWORD": parts.password or "",
        "POSTGRES_POOL_SIZE": "1",
    }


# --- the orchestrator and the egov / raw writers (project venv, Django set up) ---------------
def setup_django() -> None:
    # EGOV_BENCH_SOURCE: another checkout whose egov a writer runs (``--baseline-tree``).
    sys.path.insert(0, os.environ.get("EGOV_BENCH_SOURCE") or str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings_test")
    os.environ["EGOV_DB_PREFIX"] = "bench_append"
    import django

    django.setup()


def prepare(base_url: str) -> None:
    import psycopg
    from django.core.management import call_command

    from egov.eventstore import projections

    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for alias in ("default", ALIAS, f"{ALIAS}_read"):
        call_command("migrate", database=alias, verbosity=0)
    projections._projectors.clear()  # measure the append path, not the projector
    with psycopg.connect(dsn(ALIAS), autocommit=True) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {RAW_TABLE} (LIKE {EGOV_TABLE} INCLUDING ALL)")
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [ES_DB]).fetchone():
            conn.execute(f"CREATE DATABASE {ES_DB}")


def dsn(alias: str) -> str:
    from django.db import connections

    s = connections[alias].settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def empty(system: str, base_url: str) -> None:
    import psycopg

    if system == "eventsourcing":
        with psycopg.connect(f"{base_url}/{ES_DB}", autocommit=True) as conn:
            exists = conn.execute("SELECT to_regclass(%s)", [ES_TABLE]).fetchone()[0]
            if exists:
                conn.execute(f"TRUNCATE {ES_TABLE}")
        return
    with psycopg.connect(dsn(ALIAS), autocommit=True) as conn:
        if system == "raw":
            conn.execute(f"TRUNCATE {RAW_TABLE}")
            return
        # egov's event table refuses TRUNCATE by trigger (append-only): lifted for the bench.
        with conn.transaction():
            conn.execute(f"ALTER TABLE {EGOV_TABLE} DISABLE TRIGGER USER")
            conn.execute(f"TRUNCATE {EGOV_TABLE}, kerneltest_subject_key")
            conn.execute(f"ALTER TABLE {EGOV_TABLE} ENABLE TRIGGER USER")
        conn.execute(f"VACUUM ANALYZE {EGOV_TABLE}")
        conn.execute("VACUUM ANALYZE kerneltest_subject_key")


def check(system: str, base_url: str, expected_streams: int) -> None:
    """Exactly the expected rows: every stream at versions 1 and 2, nothing duplicated."""
    import psycopg

    if system == "eventsourcing":
        url, table, stream, version = (
            f"{base_url}/{ES_DB}",
            ES_TABLE,
            "originator_id",
            "originator_version",
        )
    else:
        table = RAW_TABLE if system == "raw" else EGOV_TABLE
        url, stream, version = dsn(ALIAS), "stream_id", '"version"'
    with psycopg.connect(url) as conn:
        rows, streams = conn.execute(
            f"SELECT count(*), count(DISTINCT {stream}) FROM {table}"
        ).fetchone()
        duplicates = conn.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY {stream}, {version} "
            "HAVING count(*) > 1) AS d"
        ).fetchone()[0]
        wrong = conn.execute(
            f"SELECT count(*) FROM (SELECT {stream} FROM {table} GROUP BY {stream} "
            f"HAVING array_agg({version}::bigint ORDER BY {version}) <> ARRAY[1, 2]::bigint[]) AS w"
        ).fetchone()[0]
        if system == "egov":
            keys = conn.execute("SELECT count(*) FROM kerneltest_subject_key").fetchone()[0]
            if keys != expected_streams:
                sys.exit(f"egov: {keys} subject keys, expected {expected_streams}")
    if (rows, streams, duplicates, wrong) != (2 * expected_streams, expected_streams, 0, 0):
        sys.exit(
            f"{system}: {rows} rows in {streams} streams ({duplicates} duplicate (stream, "
            f"version), {wrong} streams not at versions 1, 2); expected "
            f"{2 * expected_streams} rows in {expected_streams} streams"
        )


def raw_writer(commands: int) -> None:
    import psycopg

    from egov.eventstore.domain import EventMetadata
    from tests.kerneltest.domain import PenghitungDibuat, PenghitungDitambah

    insert = (
        f'INSERT INTO {RAW_TABLE} (event_id, stream_id, stream_type, "version", event_type, '
        "schema_version, payload, metadata, subject_id, recorded_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())"
    )
    select = f'SELECT * FROM {RAW_TABLE} WHERE stream_id = %s ORDER BY "version"'
    metadata = json.dumps(EventMetadata(actor="bench", source="bench").to_dict())
    added = json.dumps(PenghitungDitambah(jumlah=1).to_payload())
    with psycopg.connect(dsn(ALIAS), autocommit=True) as conn:
        conn.execute("SELECT 1")
        started = start_signal()
        for _ in range(commands):
            stream, subject = uuid.uuid4(), uuid.uuid4().hex
            created = PenghitungDibuat(pemilik=subject, nama_pemilik="Siti Aminah")
            payload = json.dumps(created.to_payload())
            row = (uuid.uuid4(), stream, "Penghitung", 1, "PenghitungDibuat", 1)
            conn.execute(insert, (*row, payload, metadata, subject))
            loaded = conn.execute(select, (stream,)).fetchall()
            row = (uuid.uuid4(), stream, "Penghitung", len(loaded) + 1, "PenghitungDitambah", 2)
            conn.execute(insert, (*row, added, metadata, ""))
    finish(started)


def egov_command(store, metadata) -> None:
    from egov import unit_of_work
    from egov.db import atomic
    from tests.kerneltest.domain import Penghitung

    with atomic(ALIAS):
        counter = Penghitung.buat(pemilik=uuid.uuid4().hex, nama="Siti Aminah")
        store.save(counter, metadata)
    with unit_of_work.changing(store, Penghitung, counter.id, metadata, not_found="?") as loaded:
        loaded.tambah(1)


def egov_writer(commands: int) -> None:
    from django.db import connections

    from egov.eventstore import projections
    from egov.eventstore.domain import EventMetadata
    from tests.kerneltest.store import store

    projections._projectors.clear()  # measure the append path, not the projector
    metadata = EventMetadata(actor="bench", source="bench", officer_id="bench")
    connections[ALIAS].ensure_connection()
    started = start_signal()
    for _ in range(commands):
        egov_command(store, metadata)
    finish(started)


def run_writers(cmd: list[str], env: dict, writers: int, commands: int, cwd=None):
    """Start the writers, wait until each is connected, start them at once. Returns events/s
    from the first start to the last finish, and the writers' own CPU milliseconds per command
    (client side only: steadier than wall time on a shared machine)."""
    procs = [
        subprocess.Popen(
            cmd, env=env, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(writers)
    ]
    for proc in procs:
        if proc.stdout.readline().strip() != "ready":
            sys.exit(f"writer did not start: {' '.join(cmd)}")
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    spans = [json.loads(proc.stdout.readline()) for proc in procs]
    for proc in procs:
        if proc.wait() != 0:
            sys.exit(f"writer failed: {' '.join(cmd)}")
    elapsed = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    cpu_ms = sum(cpu for _, _, cpu in spans) * 1000 / (writers * commands)
    return writers * commands * 2 / elapsed, cpu_ms


def measure(system: str, writers: int, commands: int, base_url: str, options):
    empty(system, base_url)
    env, cwd = dict(os.environ), ROOT
    if system == "eventsourcing":
        env = es_environ(base_url)
        python = str(options.es_python)
        subprocess.run([python, __file__, "--writer", system, "0"], env=env, check=True)
        env["CREATE_TABLE"] = "no"
        cmd = [python, __file__, "--writer", system, str(commands)]
    else:
        if system == "egov@base":  # egov's settings put the working directory on sys.path
            env["EGOV_BENCH_SOURCE"] = cwd = str(options.baseline_tree.resolve())
        cmd = [sys.executable, __file__, "--writer", system.split("@")[0], str(commands)]
    rate = run_writers(cmd, env, writers, commands, cwd)
    check(system.split("@")[0], base_url, writers * commands)
    return rate


def profile(commands: int) -> None:
    import cProfile
    import pstats

    from django.db import connections

    from egov.eventstore.domain import EventMetadata
    from tests.kerneltest.store import store

    empty("egov", "")
    metadata = EventMetadata(actor="bench", source="bench", officer_id="bench")
    connections[ALIAS].ensure_connection()
    for _ in range(20):  # warm up
        egov_command(store, metadata)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(commands):
        egov_command(store, metadata)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"one egov writer under cProfile: {elapsed / commands * 1000:.2f} ms per command")
    stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
    stats.print_stats(45)


def start_signal() -> float:
    """Tell the orchestrator this writer is connected, wait for its go; the start time."""
    print("ready", flush=True)
    sys.stdin.readline()
    global _cpu_at_start
    _cpu_at_start = time.process_time()
    return time.time()


_cpu_at_start = 0.0


def finish(started: float) -> None:
    """Report start, end and this process's CPU seconds while running."""
    print(json.dumps([started, time.time(), time.process_time() - _cpu_at_start]), flush=True)


def writer_main(system: str, commands: int) -> None:
    if system == "eventsourcing":
        es_writer(commands)
        return
    setup_django()
    (raw_writer if system == "raw" else egov_writer)(commands)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--writer":
        writer_main(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=300, help="commands per writer")
    parser.add_argument("--writers", default="1,4,8", help="comma-separated writer counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median shown)")
    parser.add_argument("--systems", default="raw,eventsourcing,egov")
    parser.add_argument("--profile", action="store_true", help="cProfile one egov writer")
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        help="another checkout (e.g. `git archive <commit>` unpacked): adds a column "
        "egov@base, the same workload on that tree's egov",
    )
    args = parser.parse_args()
    base_url = os.environ.get("POSTGRES_URL", "").rstrip("/")
    if not base_url:
        sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")
    setup_django()
    prepare(base_url)
    if args.profile:
        profile(args.commands)
        return
    systems = args.systems.split(",")
    if args.baseline_tree:
        systems.insert(systems.index("egov") if "egov" in systems else len(systems), "egov@base")
    args.es_python = ensure_bench_venv() if "eventsourcing" in systems else None
    atexit.register(lambda: print(f"\nload average after: {os.getloadavg()[0]:.1f}"))
    load = os.getloadavg()[0]
    print(
        f"Append, {args.commands} commands per writer (create + load-and-append: 2 events), "
        f"events/s, median of {args.repeat}; load average before: {load:.1f}",
        flush=True,
    )
    table: dict[tuple[int, str], float] = {}
    cpu: dict[tuple[int, str], float] = {}
    for writers in (int(w) for w in args.writers.split(",")):
        runs: dict[str, list[tuple[float, float]]] = {s: [] for s in systems}
        for _ in range(args.repeat):  # interleaved: each system sees the same noise
            for system in systems:
                runs[system].append(measure(system, writers, args.commands, base_url, args))
        for system in systems:
            table[writers, system] = statistics.median(rate for rate, _ in runs[system])
            cpu[writers, system] = statistics.median(ms for _, ms in runs[system])
            shown = ", ".join(f"{rate:.0f} ({ms:.2f} ms)" for rate, ms in runs[system])
            print(f"  W={writers} {system}: ev/s (writer CPU per command) {shown}", flush=True)
    print_table(table, systems, args)
    print("\nWriter processes' CPU per command, ms (median; the client side only)")
    print("| W | " + " | ".join(systems) + " |")
    print("|" + "|".join("---:" for _ in range(len(systems) + 1)) + "|")
    for writers in (int(w) for w in args.writers.split(",")):
        print(f"| {writers} | " + " | ".join(f"{cpu[writers, s]:.2f}" for s in systems) + " |")


def print_table(table, systems, args) -> None:
    def ratio(w, a, b):
        if (w, a) in table and (w, b) in table:
            return f"{table[w, a] / table[w, b]:.2f}"
        return "-"

    header = ["W", *systems, "egov/raw", "eventsourcing/raw", "egov/eventsourcing"]
    if "egov@base" in systems:
        header.append("egov/egov@base")
    print("\n| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" for _ in header) + "|")
    for writers in (int(w) for w in args.writers.split(",")):
        cells = [f"{table[writers, s]:,.0f}" for s in systems]
        ratios = [
            ratio(writers, "egov", "raw"),
            ratio(writers, "eventsourcing", "raw"),
            ratio(writers, "egov", "eventsourcing"),
        ]
        if "egov@base" in systems:
            ratios.append(ratio(writers, "egov", "egov@base"))
        print("| " + " | ".join([str(writers), *cells, *ratios]) + " |")


if __name__ == "__main__":
    main()
