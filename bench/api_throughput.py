"""Command API throughput on the real stack (issue 14, target 3): egov's
``POST /api/v1/ktp/permohonan/`` and ``POST /api/v1/izin/`` beside a plain-CRUD DRF baseline,
all served by one gunicorn, on PostgreSQL, with a real Celery worker projecting what they
append, driven by a bounded asyncio load generator.

The stack, started by this script and always stopped by it:
- gunicorn ``egov.wsgi`` with ``deploy/gunicorn.conf.py`` (its JSON access log, to a file),
  ``--workers 4 --worker-class sync`` by default, on a free port of 127.0.0.1;
- one Celery worker (threads x 2) on the private queue ``bench-api``, broker Redis database 9,
  the shared cache (throttle counters, the projectors' coalescing claims) Redis database 10;
- settings ``bench.settings_api``: egov's test settings (fixed test-only keys) with a real
  broker, the production feed, and the baseline app; databases ``egov_bench_api_*``, created
  and migrated here. ``THROTTLE_USER`` is raised so that the one bench client is not refused
  at 600/min: the throttle still runs (a Redis round trip per request) on every endpoint.

Endpoints, all called by one integrator (an OAuth2 client-credentials token with the scopes
``ktp:ajukan izin:ajukan``, asked for at /o/token/ like an agency does), every request with a
unique body and a unique ``Idempotency-Key`` (the integrator guide asks for one on every POST;
egov's API does not require it; the baseline ignores it):
- **baseline**: ``POST /api/v1/bench-crud/`` (bench/crud_baseline): a DRF ModelViewSet's create,
  one INSERT into one table on ``default``, behind the same authentication, permission and
  throttle classes, middleware and gunicorn;
- **ktp**: an e-KTP request (``ktp_ajukan``) for a new NIK each time (valid: region 3273 01,
  birth date encoded in the NIK and sent as ``tanggal_lahir``, serial never 0000);
- **izin**: a business permit application (``izin_ajukan``) for one of a pool of NIKs verified
  beforehand through e-KTP's published event (``KTPDiverifikasi`` appended to ktp's store; the
  worker's ``izin.identitas`` policy replicates it into izin, as tests/izin do), round-robin so
  no two requests in flight share a NIK (the command locks per applicant), a unique business
  name each (a duplicate would be a 409 by rule).

Modes, each for ``--seconds``, endpoints interleaved (baseline, ktp, izin) per mode; the
worker's queue is drained before each run:
- **closed**: N clients (``--concurrency``, a list), each sending its next request when the
  previous one is answered: the maximum throughput at that concurrency;
- **open**: requests sent at a fixed ``--rate`` per second whatever the answers (at most
  ``--max-inflight`` outstanding; beyond that a request is counted as an error, ``dropped``);
  latency is measured from the request's scheduled time, so a stalled server is not hidden by
  the generator waiting for it (no coordinated omission).

Printed: req/s, p50/p95/p99 latency, errors (any non-2xx, timeout or connection failure), CPU
per request of gunicorn (master and workers), of the Celery worker, of the PostgreSQL backends
serving the bench's databases and of the load generator itself (user+system time from /proc:
steadier than wall time on a shared machine), and egov / baseline ratios at equal concurrency.
Afterwards, exactly: rows stored (baseline), ``KTPDibuat`` events (ktp), ``PermohonanIzinDibuat``
events (izin) added == 2xx answers, or the script fails.

``--profile N`` then runs N requests of each egov endpoint in this process through Django's
test client (the whole middleware stack, the same token, the worker running) under cProfile
with a CPU-time clock (the stack is CPU-bound on this machine) and prints where the time goes.

Usage: POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python bench/api_throughput.py
       [--seconds 20] [--concurrency 8] [--rate 100] [--workers 4] [--worker-class sync]
       [--threads 1] [--profile 0]
"""

import argparse
import asyncio
import base64
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("POSTGRES_URL"):
    sys.exit("set POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432)")
BROKER = os.environ.get("BENCH_API_BROKER_URL", "redis://127.0.0.1:6379/9")
CACHE = os.environ.get("BENCH_API_CACHE_URL", "redis://127.0.0.1:6379/10")
QUEUE = "bench-api"
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings_api",
    EGOV_DB_PREFIX="egov_bench_api",  # also forced by bench/settings_api.py
    CELERY_BROKER_URL=BROKER,
    CELERY_QUEUE=QUEUE,  # routing off: every task to this one queue
    CACHE_URL=CACHE,  # web + worker: throttle counters and coalescing claims
    THROTTLE_USER="10000000/min",
    DEBUG="False",
    PYTHONPATH=str(ROOT),
)
os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)

import django  # noqa: E402
import redis  # noqa: E402

django.setup()

import _databases as databases  # noqa: E402 - bench/ is on the path when run as a script
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from apps.izin.models import IdentitasTerverifikasi, IzinEvent  # noqa: E402
from apps.ktp.models import KtpEvent  # noqa: E402
from bench.crud_baseline.models import BarisCrud  # noqa: E402
from egov.contracts.ktp import VERIFIED, KTPDiverifikasi  # noqa: E402
from egov.eventstore.domain import EventMetadata  # noqa: E402
from egov.eventstore.pseudonym import keyed_hash  # noqa: E402
from egov.eventstore.store import get_store  # noqa: E402
from egov.eventstore.tasks import sweep_projections  # noqa: E402
from egov.portal.models import IntegratorGrant  # noqa: E402

SCOPES = "ktp:ajukan izin:ajukan"
SECRET = "rahasia-klien-bench-0123456789"  # noqa: S105 - a bench database's client
IZIN_POOL = 500  # verified NIKs the izin requests cycle through
ENDPOINTS = ("baseline", "ktp", "izin")
PATHS = {
    "baseline": "/api/v1/bench-crud/",
    "ktp": "/api/v1/ktp/permohonan/",
    "izin": "/api/v1/izin/",
}
HTTP_TIMEOUT = 120.0  # an answer later than this is an error of unknown outcome


# --- unique bodies ---------------------------------------------------------------------------
class NikSequence:
    """Valid, distinct NIKs ``PPKKCC DDMMYY SSSS`` of one district: serials 0001-9999 per
    birth date, birth dates from 1960 on (adults). Each run starts at a random place in the
    ~140 million so that runs on the same databases do not meet (a second BARU request for a
    NIK with one open would be a 409)."""

    def __init__(self, district: str) -> None:
        self.district = district
        self.next = random.randrange(0, 130_000_000)

    def take(self) -> tuple[str, date]:
        i, self.next = self.next, self.next + 1
        born = date(1960, 1, 1) + timedelta(days=i // 9999)
        return f"{self.district}{born:%d%m%y}{i % 9999 + 1:04d}", born


class Bodies:
    """Each call: the next unique JSON body for an endpoint."""

    def __init__(self, izin_niks: list[str]) -> None:
        self.niks = NikSequence("327301")
        self.izin_niks = izin_niks
        self.count = Counter()
        self.run = uuid.uuid4().hex[:8]

    def __call__(self, endpoint: str) -> bytes:
        n = self.count[endpoint]
        self.count[endpoint] += 1
        if endpoint == "izin":
            body = {
                "nik": self.izin_niks[n % len(self.izin_niks)],
                "nama_pemohon": "Sri Wahyuni",
                "jenis_pelaku": "PERORANGAN",
                "nama_usaha": f"Klinik Sehat {self.run} {n}",
                "kbli_kode": "86105",
                "kode_wilayah": "3273",
                "skala": "KECIL",
                "nilai_investasi": "750000000",
            }
        else:  # the baseline stores the same body as an e-KTP request
            nik, born = self.niks.take()
            body = {
                "nik": nik,
                "nama": f"Warga Bench {n}",
                "tanggal_lahir": born.isoformat(),
                "pernah_kawin": False,
                "jenis": "BARU",
            }
        return json.dumps(body).encode()


# --- a minimal HTTP/1.1 client on asyncio streams (no dependency; keep-alive if allowed) ----
class Http:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    async def post(self, conn: list, path: str, body: bytes) -> int:
        """POST and read the whole answer; ``conn`` holds a kept-alive connection, if any."""
        if not conn:
            conn.extend(await asyncio.open_connection("127.0.0.1", self.port))
        reader, writer = conn
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
            f"Idempotency-Key: {uuid.uuid4().hex}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        writer.write(head.encode() + body)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        await reader.readexactly(length)
        if close:
            writer.close()
            conn.clear()
        return status


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, answered 2xx
    statuses: Counter = field(default_factory=Counter)  # every outcome, by status or error
    elapsed: float = 0.0
    web_cpu: float = 0.0  # gunicorn's CPU seconds (master and workers) during the run
    worker_cpu: float = 0.0  # the Celery worker's CPU seconds during the run
    client_cpu: float = 0.0  # this load generator's own CPU seconds
    db_cpu: float = 0.0  # the PostgreSQL backends' CPU seconds (the bench's databases)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.ok


async def _one(http: Http, conn: list, path: str, body: bytes, started: float, result: Result):
    try:
        status = await asyncio.wait_for(http.post(conn, path, body), HTTP_TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        with contextlib.suppress(Exception):
            if conn:
                conn[1].close()
        conn.clear()
        result.statuses[type(exc).__name__] += 1
        return
    result.statuses[status] += 1
    if 200 <= status < 300:
        result.latencies.append(time.perf_counter() - started)


async def closed_loop(http: Http, path: str, bodies: Callable[[], bytes], clients: int,
                      seconds: float) -> Result:  # fmt: skip
    result = Result()
    start = time.perf_counter()
    deadline = start + seconds

    async def client():
        conn: list = []
        while time.perf_counter() < deadline:
            await _one(http, conn, path, bodies(), time.perf_counter(), result)
        if conn:
            conn[1].close()

    await asyncio.gather(*(client() for _ in range(clients)))
    result.elapsed = time.perf_counter() - start
    return result


async def open_loop(http: Http, path: str, bodies: Callable[[], bytes], rate: float,
                    seconds: float, max_inflight: int) -> Result:  # fmt: skip
    result = Result()
    inflight: set[asyncio.Task] = set()
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        if len(inflight) >= max_inflight:
            result.statuses["dropped"] += 1
            continue
        task = asyncio.create_task(_one(http, [], path, bodies(), scheduled, result))
        inflight.add(task)
        task.add_done_callback(inflight.discard)
    if inflight:
        await asyncio.gather(*inflight)
    result.elapsed = time.perf_counter() - start
    return result


# --- the stack -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log(prefix: str):
    return tempfile.NamedTemporaryFile("w+", prefix=prefix, suffix=".log", delete=False)


def start_worker() -> subprocess.Popen:
    log = _log("bench-api-worker-")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "egov", "worker", "--pool", "threads",
         "--concurrency", "2", "-Q", QUEUE, "-n", f"bench-api-{os.getpid()}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
        env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    proc.log_path = log.name
    _wait(proc, lambda: "ready." in Path(log.name).read_text(), "worker")
    return proc


def start_gunicorn(port: int, args: argparse.Namespace) -> subprocess.Popen:
    log = _log("bench-api-gunicorn-")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "egov.wsgi", "-c", "deploy/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--worker-class", args.worker_class, "--threads", str(args.threads)],
        env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )  # fmt: skip
    proc.log_path = log.name

    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    _wait(proc, ready, "gunicorn")
    return proc


def _wait(proc: subprocess.Popen, ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 90
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start: {Path(proc.log_path).read_text()[-3000:]}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in children] + [d for c in children for d in _descendants(int(c))]


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_seconds(*roots: int) -> float:
    """User + system CPU of these processes and their descendants (live ones)."""
    return sum(map(_cpu_of, {p for root in roots for p in (root, *_descendants(root))}))


def db_cpu() -> dict[int, float]:
    """CPU so far of each PostgreSQL backend serving the bench's databases (same host; the
    connections persist, CONN_MAX_AGE, so a run's delta over them is the server's share)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname LIKE 'egov\\_bench\\_api\\_%'"
            " AND pid <> pg_backend_pid()"
        )
        return {pid: _cpu_of(pid) for (pid,) in cursor.fetchall()}


# --- set-up ----------------------------------------------------------------------------------
def prepare() -> None:
    """The bench's databases, migrated and emptied: every run starts from the same store (the
    contexts' aliases; ``default`` keeps its users and OAuth applications)."""
    call_command("create_databases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("migrate_all", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    databases.empty([alias for alias in connections if alias != "default"])


def empty_queue() -> None:
    """The bench's private Redis databases: tasks and cache left by an interrupted run."""
    redis.Redis.from_url(BROKER).flushdb()
    redis.Redis.from_url(CACHE).flushdb()


def drain(worker_pid: int) -> None:
    """Wait for the worker's queue to empty and the worker to go idle (what the previous run
    left must not be measured with the next one)."""
    queue = redis.Redis.from_url(BROKER)
    deadline = time.monotonic() + 300
    while queue.llen(QUEUE) and time.monotonic() < deadline:
        time.sleep(0.2)
    before = cpu_seconds(worker_pid)
    while time.monotonic() < deadline:  # idle: under 2 % of a core over half a second
        time.sleep(0.5)
        now = cpu_seconds(worker_pid)
        if now - before < 0.01:
            return
        before = now


def integrator_token(port: int) -> str:
    """Register an agency's client with both scopes, then ask /o/token/ as the agency would."""
    client_id = f"bench-api-{uuid.uuid4().hex[:8]}"
    app = Application.objects.create(
        name=client_id,
        client_id=client_id,
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    IntegratorGrant.objects.create(application=app, instansi="Instansi Bench", scopes=SCOPES)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/o/token/",
        data=f"grant_type=client_credentials&scope={SCOPES.replace(' ', '+')}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    basic = base64.b64encode(f"{client_id}:{SECRET}".encode()).decode()
    request.add_header("Authorization", f"Basic {basic}")
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return json.loads(answer.read())["access_token"]


def verified_niks(count: int) -> list[str]:
    """``count`` new NIKs verified by e-KTP (its published event, on ktp's store), waited for
    until the worker's ``izin.identitas`` policy has replicated every one into izin."""
    sequence = NikSequence("327302")
    niks = [sequence.take()[0] for _ in range(count)]
    metadata = EventMetadata(actor="dukcapil", source="bench")
    for nik in niks:
        get_store("ktp").append(
            stream_id=uuid.uuid4(),
            stream_type="PermohonanKTP",
            expected_version=0,
            events=[KTPDiverifikasi(nik_hash=keyed_hash(nik), nik=nik,
                                    officer_id="sistem-dukcapil",
                                    timestamp="2026-11-25T09:00:00+07:00")],
            metadata=metadata,
        )  # fmt: skip
    hashes = [keyed_hash(nik) for nik in niks]
    rows = IdentitasTerverifikasi.objects.using("izin").filter(nik_hash__in=hashes, status=VERIFIED)
    deadline, next_sweep = time.monotonic() + 120, time.monotonic() + 2
    while rows.count() < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {rows.count()} of {count} NIKs replicated into izin")
        if time.monotonic() > next_sweep:  # as beat would
            sweep_projections.delay()
            next_sweep = time.monotonic() + 2
        time.sleep(0.2)
    return niks


def pg_connections() -> tuple[int, int, int]:
    """(connections to the bench's databases, all connections, max_connections) on the server:
    another session's bench can take the server's slots, and a refused connection is a 503."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE datname LIKE 'egov\\_bench\\_api\\_%'), count(*),"
            " current_setting('max_connections')::int FROM pg_stat_activity"
        )
        return cursor.fetchone()


def stored() -> dict[str, int]:
    return {
        "baseline": BarisCrud.objects.using("default").count(),
        "ktp": KtpEvent.objects.using("ktp").filter(event_type="KTPDibuat").count(),
        "izin": IzinEvent.objects.using("izin").filter(event_type="PermohonanIzinDibuat").count(),
    }


# --- report ----------------------------------------------------------------------------------
def _q(result: Result) -> tuple[float, float, float]:
    ms = sorted(x * 1000 for x in result.latencies)
    if len(ms) < 2:
        return (ms[0],) * 3 if ms else (float("nan"),) * 3
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return q[49], q[94], q[98]


def row(endpoint: str, mode: str, result: Result, base: Result | None) -> str:
    rps = result.ok / result.elapsed
    p50, p95, p99 = _q(result)
    per = 1000 / max(result.ok, 1)
    cpus = (result.web_cpu, result.worker_cpu, result.db_cpu, result.client_cpu)
    cpu = " | ".join(f"{x * per:.1f}" for x in cpus)
    ratio = f"{rps / (base.ok / base.elapsed):.2f}" if base is not None else ""
    p95_ratio = f"{p95 / _q(base)[1]:.2f}" if base is not None else ""
    return (
        f"| {endpoint} | {mode} | {rps:,.1f} | {p50:,.1f} | {p95:,.1f} | {p99:,.1f} | "
        f"{result.errors} | {cpu} | {ratio} | {p95_ratio} |"
    )


def profile(token: str, bodies: Bodies, count: int) -> None:
    """``count`` requests of each egov endpoint in this process (Django's test client: the
    whole middleware and DRF stack, the same bearer token) under cProfile."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def send(endpoint: str) -> int:
        return client.post(PATHS[endpoint], bodies(endpoint), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex).status_code  # fmt: skip

    for endpoint in ("baseline", "ktp", "izin"):
        for _ in range(20):  # warm: imports, connections, caches
            send(endpoint)
        profiler = cProfile.Profile(time.process_time)  # CPU: what limits throughput here
        started, cpu = time.perf_counter(), time.process_time()
        profiler.enable()
        statuses = Counter(send(endpoint) for _ in range(count))
        profiler.disable()
        each = (time.perf_counter() - started) / count * 1000
        each_cpu = (time.process_time() - cpu) / count * 1000
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(r"/(egov|apps|bench)/|oauth2_provider|throttling|transaction", 40)
        print(f"\n### profile: {endpoint}, {count} requests in-process, each {each:.2f} ms wall,"
              f" {each_cpu:.2f} ms CPU (below: CPU time), statuses {dict(statuses)}")  # fmt: skip
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per run")
    parser.add_argument("--concurrency", default="8", help="closed-loop clients, e.g. 4,16")
    parser.add_argument("--rate", type=float, default=100.0, help="open-loop requests/s")
    parser.add_argument(
        "--max-inflight", type=int, default=200, help="open loop: more outstanding are dropped"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn: sync or gthread")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn gthread threads")
    parser.add_argument("--profile", type=int, default=0, help="then profile N requests each")
    args = parser.parse_args()
    concurrencies = [int(c) for c in args.concurrency.split(",")]

    load_before = os.getloadavg()
    started = time.monotonic()
    prepare()
    _mine, used, most = pg_connections()
    print(f"PostgreSQL: {used} of {most} connections in use before the stack starts")
    empty_queue()
    port = free_port()
    worker = web = None
    results: dict[tuple[str, str], Result] = {}
    try:
        worker = start_worker()
        web = start_gunicorn(port, args)
        token = integrator_token(port)
        bodies = Bodies(verified_niks(IZIN_POOL))
        print(f"stack up, {IZIN_POOL} NIKs verified for izin: {time.monotonic() - started:.0f} s")
        http = Http(port, token)
        before = stored()
        sent_ok = Counter()
        for endpoint in ENDPOINTS:  # warm every worker process: imports, connections
            warm = asyncio.run(closed_loop(http, PATHS[endpoint], lambda e=endpoint: bodies(e),
                                           args.workers, 2.0))  # fmt: skip
            sent_ok[endpoint] += warm.ok
            if warm.errors:
                raise RuntimeError(f"{endpoint} warm-up refused: {dict(warm.statuses)}")
        peak = 0
        modes = [(f"closed c={c}", c) for c in concurrencies] + [(f"open {args.rate:g}/s", 0)]
        for mode, clients in modes:
            for endpoint in ENDPOINTS:
                drain(worker.pid)
                make = lambda e=endpoint: bodies(e)  # noqa: E731
                cpu0 = cpu_seconds(web.pid), cpu_seconds(worker.pid), time.process_time()
                db0 = db_cpu()
                if clients:
                    run = closed_loop(http, PATHS[endpoint], make, clients, args.seconds)
                else:
                    run = open_loop(http, PATHS[endpoint], make, args.rate, args.seconds,
                                    args.max_inflight)  # fmt: skip
                result = asyncio.run(run)
                result.web_cpu = cpu_seconds(web.pid) - cpu0[0]
                result.worker_cpu = cpu_seconds(worker.pid) - cpu0[1]
                result.client_cpu = time.process_time() - cpu0[2]
                result.db_cpu = sum(t - db0.get(pid, 0.0) for pid, t in db_cpu().items())
                results[endpoint, mode] = result
                mine, used, most = pg_connections()
                peak = max(peak, used)
                sent_ok[endpoint] += result.ok
                print(f"  {endpoint:8} {mode:14} {result.ok / result.elapsed:8.1f} req/s "
                      f"statuses {dict(result.statuses)}; PostgreSQL connections {used}/{most} "
                      f"({mine} the bench's)", flush=True)  # fmt: skip
        after = stored()
        drain(worker.pid)
        if args.profile:
            profile(token, bodies, args.profile)
    finally:
        stop(web)
        stop(worker)
        connections.close_all()
    for proc in (web, worker):  # kept only when something failed (the access log is large)
        Path(proc.log_path).unlink(missing_ok=True)

    print(
        f"\ngunicorn egov.wsgi -c deploy/gunicorn.conf.py --workers {args.workers} "
        f"--worker-class {args.worker_class} --threads {args.threads}; Celery worker threads x2 "
        f"(queue {QUEUE}, broker {BROKER}); PostgreSQL egov_bench_api_*; {args.seconds:g} s "
        f"per run; load average before {load_before[0]:.2f} / {load_before[1]:.2f} / "
        f"{load_before[2]:.2f}, after {os.getloadavg()[0]:.2f} / {os.getloadavg()[1]:.2f} / "
        f"{os.getloadavg()[2]:.2f} on {os.cpu_count()} cores; PostgreSQL connections at most "
        f"{peak} of {most} in use after a run\n"
    )
    print("| endpoint | mode | req/s | p50 ms | p95 ms | p99 ms | errors | web CPU ms/req "
          "| worker CPU ms/req | PostgreSQL CPU ms/req | client CPU ms/req "
          "| req/s egov/baseline "
          "| p95 egov/baseline |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode, _clients in modes:
        for endpoint in ENDPOINTS:
            base = results["baseline", mode] if endpoint != "baseline" else None
            print(row(endpoint, mode, results[endpoint, mode], base))
    failures = []
    for endpoint in ENDPOINTS:
        added = after[endpoint] - before[endpoint]
        print(f"{endpoint}: {added} stored, {sent_ok[endpoint]} answered 2xx"
              f" ({'equal' if added == sent_ok[endpoint] else 'NOT EQUAL'})")  # fmt: skip
        if added != sent_ok[endpoint]:  # a timed-out request may have committed afterwards
            failures.append(endpoint)
    targets(results, modes)
    if failures:
        sys.exit(f"stored rows/events differ from 2xx answers: {failures}")


def targets(results: dict[tuple[str, str], Result], modes: list[tuple[str, int]]) -> None:
    print("\nTargets (issue 14, target 3):")
    for mode, clients in modes:
        base = results["baseline", mode]
        for endpoint in ("ktp", "izin"):
            result = results[endpoint, mode]
            if clients:
                ratio = (result.ok / result.elapsed) / (base.ok / base.elapsed)
                print(f"- {endpoint} {mode}: {ratio:.2f} of the baseline's req/s (target >= 0.70"
                      f" at equal p95; p95 {_q(result)[1]:.0f} vs {_q(base)[1]:.0f} ms): "
                      f"{'met' if ratio >= 0.70 else 'NOT met'}")  # fmt: skip
            else:
                p95 = _q(result)[1]
                print(f"- {endpoint} {mode}: p95 {p95:.1f} ms (target < 100 ms, "
                      f"{result.errors} errors): "
                      f"{'met' if p95 < 100 and not result.errors else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
