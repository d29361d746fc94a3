"""Helpers for tests: backends, services, real processes."""

import logging
import os
import socket
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.db import connections


def on_postgres() -> bool:
    return connections["default"].vendor == "postgresql"


def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def database_env() -> dict[str, str]:
    """Environment for a subprocess (a Celery worker, a writer) that must use the very
    test databases this test process uses."""
    env = {}
    for alias in connections:
        settings = connections[alias].settings_dict
        if connections[alias].vendor != "postgresql":
            continue
        user = settings.get("USER") or "postgres"
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        env[f"DATABASE_URL_{alias.upper()}"] = f"postgres://{user}@{host}:{port}/{settings['NAME']}"
    return env


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1):
    """Poll ``predicate`` until it returns a truthy value (returned) or ``timeout`` passes."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@contextmanager
def committed(*aliases: str):
    """In a non-transactional test, run the on-commit callbacks (projections, tasks) of the
    given aliases when the block ends, as real commits would (default: every alias). Loops
    until none are left, because a callback on one alias (a task) can register callbacks on
    another (a projector reacting to the task's events)."""
    chosen = [connections[alias] for alias in aliases or list(connections)]
    done = {conn.alias: len(conn.run_on_commit) for conn in chosen}
    yield
    while True:
        pending = []
        for conn in chosen:
            pending += conn.run_on_commit[done[conn.alias] :]
            done[conn.alias] = len(conn.run_on_commit)
        if not pending:
            return
        for _savepoints, callback, robust in pending:
            if not robust:
                callback()
                continue
            try:
                callback()
            except Exception:
                logging.getLogger(__name__).exception("on-commit callback failed")
