"""Disaster recovery at scale: `rebuild_projections ktp.status` over realistic e-KTP events on
PostgreSQL, beside a raw baseline doing the same work, and how the cost grows with the store.

Workload: e-KTP requests driven through the domain aggregate itself (``PermohonanKTP``), so the
events are exactly what the commands append, in the mix of a registration office: 70 % new
cards handed over (5 events), 10 % duplicates rejected after adjudication (5), 10 % still being
recorded (2), 10 % replacements handed over (4); 1 % of NIKs deactivated (``NIKDinonaktifkan``
on the NIK's stream). Personal fields (NIK, name, birth date) are sealed with a key per citizen
by ktp's own store, as in production; events are COPYed in chunks of 5,000 requests, one
transaction each (so the feed sees many transactions, as it does live).

Measured, per size (``--sizes``, events in the store):
- egov: ``projections.rebuild`` of ``ktp.status`` (the code ``manage.py rebuild_projections``
  runs: empty the read tables, replay the feed in batches, checkpoint per batch), in a child
  process so its peak memory (max RSS) is its own;
- raw: one server-side cursor over the same rows in feed order, the NIK and name decrypted
  with the same keys for the creation events, the same read rows kept in memory and COPYed
  into scratch tables: what a hand-written one-off script would do, with none of egov's
  guarantees (no checkpoint, no idempotency, no batching bound on memory);
- both sides' rows are compared (every request's status, version, masked NIK, name, NIK
  status, and the timeline's row count) and must be equal;
- load of one aggregate (``store.load`` of a random request, p50 over 200) and append of one
  new request (p50 over 200): they must not grow with the size of the store.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/ktp_rebuild.py
       [--sizes 10000,100000,1000000] [--batch 5000]
Uses its own databases (egov_bench_rebuild_*), emptied for each size.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings_test")
os.environ["EGOV_DB_PREFIX"] = "egov_bench_rebuild"
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.ktp.domain import PermohonanKTP, StatusNIK, nik_stream_id  # noqa: E402
from apps.ktp.models import RingkasanBlangko, RiwayatKTP, StatusPermohonanKTP  # noqa: E402
from apps.ktp.store import store  # noqa: E402
from egov.db import atomic  # noqa: E402
from egov.eventstore import crypto, projections  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from egov.eventstore.models import Checkpoint  # noqa: E402
from egov.eventstore.pseudonym import keyed_hash, mask_nik  # noqa: E402
from egov.eventstore.store import PendingEvent  # noqa: E402

ALIAS, READ = "ktp", "ktp_read"
CHUNK = 5_000  # requests per generating transaction
META = EventMetadata(actor="bench", source="bench", officer_id="petugas-bench")
META_DICT = META.to_dict()
EVENT_COLUMNS = store.COLUMNS  # the store's INSERT columns, COPYed here
PROVINCES = ("11", "31", "32", "33", "35", "51", "61", "73", "81", "94")


# --- databases -------------------------------------------------------------------------------
def prepare() -> None:
    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for alias in ("default", ALIAS, READ):
        call_command("migrate", database=alias, verbosity=0)
    with connections[READ].cursor() as cursor:
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS raw_status (permohonan_id uuid PRIMARY KEY, "
            "nik_masked text, nama text, status text, last_version int, status_nik text)"
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS raw_riwayat (event_id uuid PRIMARY KEY, "
            "permohonan_id uuid, urutan int, jenis text, status text)"
        )


def empty() -> None:
    from apps.ktp import models as m

    write = [m.KtpEvent, m.KtpSubjectKey, m.PermohonanTerbuka, m.IndeksBiometrik, m.KartuTerbit]
    read = [StatusPermohonanKTP, RiwayatKTP, RingkasanBlangko, Checkpoint]
    for alias, models in ((ALIAS, write), (READ, read)):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # the append-only trigger
            tables = ", ".join(x._meta.db_table for x in models)
            cursor.execute(f"TRUNCATE {tables}")
            cursor.execute("SET session_replication_role = DEFAULT")
    with connections[READ].cursor() as cursor:
        cursor.execute("TRUNCATE raw_status, raw_riwayat")


# --- the workload ----------------------------------------------------------------------------
class Workload:
    """Requests as the domain records them, and the rows ktp's store would append."""

    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.counter = 0
        self.start = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.get_current_timezone())

    def _nik(self) -> str:
        self.counter += 1
        region = self.rng.choice(PROVINCES) + f"{self.rng.randrange(1, 80):02d}"
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(16_000))
        dd = born.day + (40 if self.rng.random() < 0.5 else 0)
        district = self.rng.randrange(1, 40)
        return f"{region}{district:02d}{dd:02d}{born:%m%y}{self.counter % 10_000:04d}"

    def request(self) -> tuple[list[tuple], str]:
        """One request's (stream id, stream type, version, event) tuples, and its subject."""
        nik = self._nik()
        nik_hash = keyed_hash(nik)
        when = self.start + timedelta(minutes=self.counter)
        kind = self.rng.random()
        replacement = kind >= 0.9
        request = PermohonanKTP.ajukan(
            nik_hash=nik_hash,
            nik=nik,
            nama=f"Warga Bench {self.counter}",
            tanggal_lahir=date(1990, 5, 17),
            pernah_kawin=False,
            jenis="PENGGANTIAN" if replacement else "BARU",
            alasan="HILANG" if replacement else "",
            sekarang=when,
        )
        if not replacement:
            request.rekam_biometrik(
                template_hash=f"{self.counter:064x}",
                lokasi="Disdukcapil",
                petugas="p1",
                sekarang=when,
            )
        if kind < 0.8 or replacement:
            duplicate = "" if kind < 0.7 or replacement else str(uuid.uuid4())
            request.hasil_pemeriksaan_pusat(duplikat_dari=duplicate, sekarang=when)
            if duplicate:
                request.adjudikasi(setujui=False, alasan="ganda", petugas="p2", sekarang=when)
            else:
                request.cetak(
                    nomor_blangko=f"B{self.counter:010d}",
                    kartu_lama="",
                    petugas="p3",
                    sekarang=when,
                )
                request.serahkan(petugas="p4", sekarang=when)
        events = [
            (request.id, request.stream_type, version, event)
            for version, event in enumerate(request.collect(), start=1)
        ]
        if self.rng.random() < 0.01:
            status = StatusNIK(nik_stream_id(nik_hash))
            status.nonaktifkan(nik_hash=nik_hash, alasan="MENINGGAL", keterangan="akta 123")
            events += [(status.id, status.stream_type, 1, e) for e in status.collect()]
        return events, nik_hash


def _copy(alias: str, table: str, columns, rows) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def generate(workload: Workload, events_wanted: int) -> int:
    """Append requests until the store holds at least ``events_wanted`` events."""
    master = crypto.active_master_key()
    master_id = crypto.master_key_id(master)
    now = timezone.now()
    written = 0
    while written < events_wanted:
        count = min(CHUNK, max(100, (events_wanted - written) // 4))
        requests = [workload.request() for _ in range(count)]
        with atomic(ALIAS), crypto.unit_keys():
            keys = []
            for _events, subject in requests:
                key = AESGCM.generate_key(bit_length=256)
                wrapped = crypto.wrap_data_key(master_key=master, subject_id=subject, data_key=key)
                keys.append((subject, wrapped, master_id, now))
            _copy(
                ALIAS,
                store.codec.key_model._meta.db_table,
                ("subject_id", "wrapped_key", "master_key_id", "created_at"),
                keys,
            )
            store.codec.prefetch([k[0] for k in keys], {})  # the unit's cache: no key INSERTs
            rows = []
            for events, _subject in requests:
                for stream_id, stream_type, version, event in events:
                    pending = PendingEvent(event)
                    row = store._row(stream_id, stream_type, version, pending, META_DICT, now)
                    rows.append((*row[:6], json.dumps(row[6]), json.dumps(row[7]), *row[8:]))
            _copy(ALIAS, store.event_model._meta.db_table, EVENT_COLUMNS, rows)
        written += len(rows)
    for alias in (ALIAS, READ):
        with connections[alias].cursor() as cursor:
            cursor.execute("ANALYZE")
    return written


def wait_for_horizon(timeout: float = 300) -> None:
    """The gap-safe feed shows only events older than every open transaction on the server:
    wait until another session's long transaction (a test run, a bench) has ended."""
    deadline = time.monotonic() + timeout
    with connections[ALIAS].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT max(tx_id) < pg_snapshot_xmin(pg_current_snapshot()) FROM ktp_event"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(1)
    sys.exit("an open transaction on the server holds the feed back; see the operator guide")


# --- egov: the projector's rebuild, in a child process -----------------------------------------
def egov_rebuild(batch: int) -> dict:
    # The test settings name the databases; the feed reads as in production (no test
    # transaction around the rebuild, so none of its own uncommitted writes to see).
    settings.FEED_READS_OWN_WRITES = False
    projector = projections.get_projector("ktp.status")
    started = time.perf_counter()
    applied = projections.rebuild(projector, limit=batch)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"events": applied, "seconds": seconds, "peak_mb": peak}


def run_child(phase: str, batch: int) -> dict:
    child = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--batch", str(batch)],
        capture_output=True,
        text=True,
    )
    if child.returncode:
        sys.exit(f"{phase} failed:\n{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])


# --- raw: a one-off script -------------------------------------------------------------------
def raw_rebuild(batch: int) -> dict:
    """Same rows from the same events, by hand: a server-side cursor, keys by batch, COPY."""
    started = time.perf_counter()
    master_keys = crypto.readable_master_keys()
    connection = connections[ALIAS]
    connection.ensure_connection()
    status: dict = {}
    by_subject: dict[str, list] = {}
    timeline = []
    read = 0
    with atomic(ALIAS), connection.connection.cursor(name="raw_rebuild") as cursor:
        cursor.itersize = batch
        cursor.execute(
            "SELECT e.event_id, e.stream_id, e.version, e.event_type, e.payload, e.subject_id, "
            "k.wrapped_key, k.master_key_id FROM ktp_event e "
            "LEFT JOIN ktp_subject_key k ON k.subject_id = e.subject_id "
            "AND e.event_type = 'KTPDibuat' ORDER BY e.tx_id, e.position"
        )
        for event_id, stream_id, version, event_type, payload, subject, wrapped, by in cursor:
            read += 1
            if isinstance(payload, str):  # Django's connection reads jsonb as text
                payload = json.loads(payload)
            if event_type == "NIKDinonaktifkan":
                for row in by_subject.get(subject, ()):
                    row[4] = payload["status"]
                continue
            if event_type == "KTPDibuat":
                key = crypto.unwrap_data_key(
                    master_key=master_keys[by], subject_id=subject, wrapped=bytes(wrapped)
                )
                nik = json.loads(crypto._open(key, payload["nik"], f"{subject}:nik"))
                nama = json.loads(crypto._open(key, payload["nama"], f"{subject}:nama"))
                row = [mask_nik(nik), nama, payload["status"], version, "AKTIF"]
                status[stream_id] = row
                by_subject.setdefault(subject, []).append(row)
            else:
                row = status[stream_id]
                row[2], row[3] = payload["status"], version
            timeline.append((event_id, stream_id, version, event_type, payload["status"]))
    _copy(
        READ,
        "raw_status",
        ("permohonan_id", "nik_masked", "nama", "status", "last_version", "status_nik"),
        ((k, *v) for k, v in status.items()),
    )
    _copy(READ, "raw_riwayat", ("event_id", "permohonan_id", "urutan", "jenis", "status"), timeline)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"events": read, "seconds": seconds, "peak_mb": peak}


def same_rows() -> str:
    with connections[READ].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM raw_status r FULL JOIN ktp_statuspermohonanktp s "
            "USING (permohonan_id) WHERE s.permohonan_id IS NULL OR r.permohonan_id IS NULL "
            "OR (r.nik_masked, r.nama, r.status, r.last_version, r.status_nik) "
            "IS DISTINCT FROM (s.nik_masked, s.nama, s.status, s.last_version, s.status_nik)"
        )
        differ = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT count(*) FROM raw_riwayat), (SELECT count(*) FROM ktp_riwayatktp), "
            "(SELECT count(*) FROM ktp_statuspermohonanktp)"
        )
        raw_timeline, egov_timeline, requests = cursor.fetchone()
    if differ or raw_timeline != egov_timeline:
        sys.exit(f"rows differ: {differ} requests, timeline {raw_timeline} vs {egov_timeline}")
    return f"{requests:,} requests and {egov_timeline:,} timeline rows equal"


# --- one aggregate, whatever the size of the store -------------------------------------------
def per_command(runs: int = 200) -> tuple[float, float]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT stream_id FROM ktp_event WHERE event_type = 'KTPDibuat' "
            "ORDER BY random() LIMIT %s",
            [runs],
        )
        streams = [row[0] for row in cursor.fetchall()]
    loads = []
    for stream_id in streams:
        started = time.perf_counter()
        with atomic(ALIAS), crypto.unit_keys():
            store.get(PermohonanKTP, stream_id)
        loads.append(time.perf_counter() - started)
    workload = Workload(seed=runs)
    workload.counter = 90_000_000
    appends = []
    for _ in range(runs):
        events, _subject = workload.request()
        request = PermohonanKTP(events[0][0])
        request.pending = [events[0][3]]  # a new request: its KTPDibuat
        started = time.perf_counter()
        with atomic(ALIAS), crypto.unit_keys():
            store.save(request, META)
        appends.append(time.perf_counter() - started)
    return statistics.median(loads) * 1000, statistics.median(appends) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--batch", type=int, default=projections.REBUILD_BATCH_SIZE)
    parser.add_argument("--phase", choices=("egov", "raw"))
    args = parser.parse_args()
    if args.phase:
        result = egov_rebuild(args.batch) if args.phase == "egov" else raw_rebuild(args.batch)
        print(json.dumps(result))
        return
    projections.set_dispatcher(lambda _name: None)  # nothing runs after a commit here
    prepare()
    print(f"e-KTP rebuild (ktp.status), batch {args.batch}, PostgreSQL, {os.cpu_count()} cores")
    header = (
        f"{'events':>10} {'egov ev/s':>10} {'raw ev/s':>10} {'egov/raw':>8} "
        f"{'egov MB':>8} {'raw MB':>7} {'load ms':>8} {'append ms':>9}"
    )
    print(header)
    for size in (int(s) for s in args.sizes.split(",")):
        empty()
        started = time.perf_counter()
        stored = generate(Workload(), size)
        print(
            f"  (generated {stored:,} events in {time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )
        wait_for_horizon()
        egov = run_child("egov", args.batch)
        raw = run_child("raw", args.batch)
        print(f"  ({same_rows()})", file=sys.stderr)
        load_ms, append_ms = per_command()
        egov_rate = egov["events"] / egov["seconds"]
        raw_rate = raw["events"] / raw["seconds"]
        print(
            f"{stored:>10,} {egov_rate:>10,.0f} {raw_rate:>10,.0f} {egov_rate / raw_rate:>8.2f} "
            f"{egov['peak_mb']:>8.0f} {raw['peak_mb']:>7.0f} {load_ms:>8.2f} {append_ms:>9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
