"""Append throughput on PostgreSQL: egov's event store beside raw psycopg INSERTs.

Each egov command loads an aggregate (one of 50 per writer), records one event, appends it
with optimistic concurrency and commits. The baseline inserts the same rows with plain
psycopg, one transaction each. Columns:
- egov: the command as written in the contexts' use cases could be (load, then one INSERT
  that commits by itself: optimistic concurrency needs no open transaction);
- egov in tx: the same inside an explicit ``atomic()`` (BEGIN/COMMIT round trips);
- egov+lock: in a transaction that first locks the table, the other known way to make the
  feed gap-safe (the ``eventsourcing`` library's): what our xid8 rule saves.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/append.py
       [--commands 400] [--writers 1,8]
Uses its own databases (egov_bench_*), created and migrated on first run.
"""

import argparse
import json
import multiprocessing
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings_test")
os.environ["EGOV_DB_PREFIX"] = "egov_bench"
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from egov.db import atomic  # noqa: E402
from egov.eventstore import projections  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from tests.kerneltest.domain import Penghitung, PenghitungDitambah  # noqa: E402
from tests.kerneltest.store import store  # noqa: E402

STREAMS_PER_WRITER = 50
ALIAS = "kerneltest"
META = EventMetadata(actor="bench", source="bench", officer_id="bench")
RAW_SQL = (
    'INSERT INTO kerneltest_event (event_id, stream_id, stream_type, "version", event_type, '
    "schema_version, payload, metadata, subject_id, recorded_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, now())"
)


def prepare() -> None:
    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for alias in ("default", ALIAS, f"{ALIAS}_read"):
        call_command("migrate", database=alias, verbosity=0)
    projections._projectors.clear()  # measure the append path, not the projector


def _command(stream_id: uuid.UUID) -> None:
    counter = store.get(Penghitung, stream_id)
    counter.tambah(1)
    store.save(counter, META)


def egov_writer(commands: int, mode: str) -> None:
    streams = [uuid.uuid4() for _ in range(STREAMS_PER_WRITER)]
    for i in range(commands):
        stream_id = streams[i % STREAMS_PER_WRITER]
        if mode == "autocommit":
            _command(stream_id)
            continue
        with atomic(ALIAS):
            if mode == "lock":
                with connections[ALIAS].cursor() as cursor:
                    cursor.execute("LOCK TABLE kerneltest_event IN EXCLUSIVE MODE")
            _command(stream_id)
    connections.close_all()


def raw_writer(commands: int, mode: str) -> None:
    settings = connections[ALIAS].settings_dict
    dsn = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    streams = [uuid.uuid4() for _ in range(STREAMS_PER_WRITER)]
    payload = json.dumps(PenghitungDitambah(jumlah=1).to_payload())
    metadata = json.dumps(META.to_dict())
    with psycopg.connect(dsn, autocommit=True) as conn:
        for i in range(commands):
            version = i // STREAMS_PER_WRITER + 1
            conn.execute(
                RAW_SQL,
                (
                    uuid.uuid4(),
                    streams[i % STREAMS_PER_WRITER],
                    "Penghitung",
                    version,
                    "PenghitungDitambah",
                    2,
                    payload,
                    metadata,
                    "",
                ),
            )


def measure(writer, writers: int, commands: int, mode: str = "") -> float:
    connections.close_all()  # forked children open their own connections
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=writer, args=(commands, mode)) for _ in range(writers)]
    started = time.perf_counter()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    if any(proc.exitcode for proc in procs):
        sys.exit(f"{writer.__name__} failed")
    return writers * commands / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=400, help="commands per writer")
    parser.add_argument("--writers", default="1,8", help="comma-separated writer counts")
    args = parser.parse_args()
    prepare()
    print(
        f"PostgreSQL append throughput, {args.commands} commands per writer "
        f"(events/s; ratio = egov / raw)"
    )
    print(
        f"{'writers':>7} {'raw INSERT':>10} {'egov':>6} {'ratio':>5} {'egov in tx':>10} "
        f"{'ratio':>5} {'egov+lock':>9} {'ratio':>5}"
    )
    for writers in (int(w) for w in args.writers.split(",")):
        raw = measure(raw_writer, writers, args.commands)
        rates = [
            measure(egov_writer, writers, args.commands, mode)
            for mode in ("autocommit", "transaction", "lock")
        ]
        cells = " ".join(
            f"{rate:>{width}.0f} {rate / raw:>5.2f}"
            for rate, width in zip(rates, (6, 10, 9), strict=True)
        )
        print(f"{writers:>7} {raw:>10.0f} {cells}")


if __name__ == "__main__":
    main()
