"""Test wiring shared by every test package.

Backends: ``make test`` runs the suite on SQLite, then again with ``POSTGRES_URL`` set.
Tests marked ``postgres`` run only in the PostgreSQL pass (they are deselected, not skipped,
in the SQLite pass); with ``REQUIRE_POSTGRES=1`` (CI) scripts/test.sh fails when the
PostgreSQL pass cannot run.
Tests marked ``worker`` need Redis; with ``REQUIRE_REDIS=1`` (CI) a missing Redis is an error.
"""

import os
import uuid

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import connections
from django.test.testcases import DatabaseOperationForbidden
from kombu import pools as kombu_pools

from apps.bansos.models import ProgramBansos
from apps.bansos.seed import muat_konfigurasi as muat_bansos
from apps.izin.commands import terbitkan_referensi
from apps.izin.models import HariLibur as HariLiburIzin
from apps.izin.models import KBLIReferensi, RisikoKBLI, TenggatTahap
from apps.izin.seed import muat_konfigurasi as muat_izin
from apps.pajak.models import TabelTER
from apps.pajak.seed import muat_hari_libur as muat_hari_libur_pajak
from apps.pajak.seed import muat_konfigurasi as muat_pajak
from egov.celery import app as celery_app
from egov.db import forget_broker_outage
from egov.eventstore.projections import get_projector, run_projector
from tests.support import (
    WorkerDidNotStart,
    on_postgres,
    redis_reachable,
    redis_url,
    start_worker,
    stop_worker,
    wait_until,
)


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture
def require_redis() -> str:
    url = redis_url()
    if not redis_reachable(url):
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but Redis is not reachable at {url}")
        pytest.skip(f"Redis not reachable at {url}")
    return url


def _set_replication_role(role: str, *, connect: bool) -> None:
    for conn in connections.all(initialized_only=not connect):
        if conn.vendor != "postgresql" or (conn.connection is None and not connect):
            continue
        try:
            with conn.cursor() as cursor:
                cursor.execute(f"SET session_replication_role = {role}")
        except DatabaseOperationForbidden:
            # A database this test may not use (an earlier test opened the connection): the
            # next test allowed to use it sets its role first.
            continue


@pytest.fixture
def kbli_terbit():
    """What ``migrate_all`` does after migrating: izin's KBLI table published, and here also
    projected at once (the picker's read copy: portal form, ``/api/v1/izin/kbli/``). Per
    test, not once for the session: other tests (the audit trail's) see only their events."""
    terbitkan_referensi()
    projector = get_projector("izin.referensi")
    published = KBLIReferensi.objects.using("izin_read")
    expected = RisikoKBLI.objects.using("izin").count()
    # The feed holds back events while any older transaction on the server is open (gap
    # safety), so the copy may need a moment when other sessions are busy.
    assert wait_until(lambda: run_projector(projector) >= 0 and published.count() == expected)


def _uses_all_databases(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker) and marker.kwargs.get("databases") == "__all__"


@pytest.fixture(autouse=True)
def _seeded_configuration(request, _django_db_helper):
    """The configuration rows the data migrations seed (izin's KBLI risks, stage deadlines and
    holidays; pajak's tax tables and holidays; bansos's programmes) are back before each
    all-database test: a transactional test's flush empties every table, seed rows included.
    Reloading is idempotent and skipped while the rows are there."""
    if not _uses_all_databases(request):
        return
    if not RisikoKBLI.objects.using("izin").exists():
        muat_izin(RisikoKBLI, TenggatTahap, HariLiburIzin)
    if not TabelTER.objects.using("pajak").exists():
        muat_pajak(django_apps)
        muat_hari_libur_pajak(django_apps)
    if not ProgramBansos.objects.using("bansos").exists():
        muat_bansos(django_apps)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none, so no test is
    throttled by requests another test made (tests/kernel/test_throttling.py tests them)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _event_triggers(request, _django_db_helper):
    """Every test runs with the append-only triggers on. After a transactional test, Django
    flushes (TRUNCATEs) the tables, which the event triggers forbid: that flush alone runs with
    ``session_replication_role = replica``, the superuser-only bypass an operator would use.
    (Depends on ``_django_db_helper`` so that this teardown runs before the flush.)"""
    _set_replication_role("DEFAULT", connect=False)
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        _set_replication_role("replica", connect=True)


@pytest.fixture
def real_worker(require_redis):
    """A real Celery worker process on Redis and this test's PostgreSQL databases; this test
    process sends tasks to it instead of running them eagerly. Use with ``postgres`` and
    ``django_db(transaction=True, databases="__all__")`` so the worker sees committed rows."""
    queue = f"egov-test-{uuid.uuid4().hex[:8]}"
    try:
        proc = start_worker(require_redis, queue, env={"CELERY_QUEUE": queue})
    except WorkerDidNotStart as exc:
        pytest.fail(str(exc))
    previous = dict(celery_app.conf)
    celery_app.conf.update(
        task_always_eager=False, broker_url=require_redis, task_default_queue=queue
    )
    _forget_celery_connections()
    try:
        yield proc
    finally:
        celery_app.conf.update(
            task_always_eager=previous["task_always_eager"],
            broker_url=previous["broker_url"],
            task_default_queue=previous["task_default_queue"],
        )
        _forget_celery_connections()
        stop_worker(proc)


def _forget_celery_connections() -> None:
    """Drop pooled broker connections so the next send uses the broker now configured (an
    earlier eager run may have cached a producer for the default broker). kombu keeps its
    producer pools in a process-wide registry, so that is reset too. A broker outage noted
    under the previous broker (publishing skipped for a while) is forgotten too."""
    forget_broker_outage()
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
