"""Test wiring shared by every test package.

Backends: ``make test`` runs the suite on SQLite, then again with ``POSTGRES_URL`` set.
Tests marked ``postgres`` run only in the PostgreSQL pass (they are deselected, not skipped,
in the SQLite pass); with ``REQUIRE_POSTGRES=1`` (CI) a missing server is an error.
Tests marked ``worker`` need Redis; with ``REQUIRE_REDIS=1`` (CI) a missing Redis is an error.
"""

import os

import pytest
from django.db import connections

from tests.support import on_postgres, redis_reachable, redis_url


def pytest_collection_modifyitems(config, items):
    if on_postgres():
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not on_postgres():
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but POSTGRES_URL is not set")


@pytest.fixture
def require_redis() -> str:
    url = redis_url()
    if not redis_reachable(url):
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but Redis is not reachable at {url}")
        pytest.skip(f"Redis not reachable at {url}")
    return url


def _set_replication_role(role: str) -> None:
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "postgresql" and conn.connection is not None:
            with conn.cursor() as cursor:
                cursor.execute(f"SET session_replication_role = {role}")


@pytest.fixture(autouse=True)
def _event_triggers(request, _django_db_helper):
    """Every test runs with the append-only triggers on. After a transactional test, Django
    flushes (TRUNCATEs) the tables, which the event triggers forbid: that flush alone runs with
    ``session_replication_role = replica``, the superuser-only bypass an operator would use.
    (Depends on ``_django_db_helper`` so that this teardown runs before the flush.)"""
    _set_replication_role("DEFAULT")
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        _set_replication_role("replica")
