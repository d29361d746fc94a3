"""Helpers for tests: backends, services, real processes."""

import logging
import os
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connections

ROOT = Path(__file__).resolve().parent.parent


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


def run_threads(target, arguments: list[tuple], *, timeout: float = 60.0) -> None:
    """Run ``target(*args)`` for each ``args`` in its own thread, all at once, and wait for
    them (each closes its database connections when done, as a thread must)."""
    import threading

    def run(*args):
        try:
            target(*args)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)


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


class WorkerDidNotStart(RuntimeError):
    pass


class WorkerProcess(subprocess.Popen):
    """A real Celery worker process; ``log_path`` is its log (stdout and stderr), kept for
    reading after the process is gone."""

    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


def start_worker(
    broker_url: str,
    queues: str,
    *,
    env: dict[str, str] | None = None,
    include: tuple[str, ...] = (),
    name: str = "",
) -> WorkerProcess:
    """Start a real Celery worker process on ``broker_url`` consuming ``queues`` (a name, or
    names separated by commas), on this test process's databases; returns once it is ready.
    ``env`` adds settings (``CELERY_QUEUE`` for one private queue, ``CELERY_QUEUE_PREFIX``
    for routed ones); ``include`` adds task modules. Raises ``WorkerDidNotStart`` (with the
    tail of its log)."""
    environment = {**os.environ, **database_env()}
    for inherited in ("POSTGRES_URL", "CELERY_QUEUE"):
        environment.pop(inherited, None)
    environment |= {
        "TEST_CELERY_BROKER_URL": broker_url,
        "DJANGO_SETTINGS_MODULE": "egov.settings_test",
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "egov", "worker", "--pool", "threads"]
    command += ["--concurrency", "2", "-Q", queues, "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["-n", name] if name else []
    for module in include:
        command += ["--include", module]
    with tempfile.NamedTemporaryFile("w+", prefix="celery-", suffix=".log", delete=False) as log:
        proc = WorkerProcess(
            command, env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
    proc.log_path = Path(log.name)
    ready = wait_until(lambda: " ready." in proc.log() or proc.poll() is not None, timeout=60)
    if not ready or proc.poll() is not None:
        proc.kill()
        proc.wait()
        raise WorkerDidNotStart(f"Celery worker did not start:\n{proc.log()[-3000:]}")
    return proc


def stop_worker(proc: subprocess.Popen, *, timeout: float = 20) -> None:
    """Warm shutdown (SIGTERM), then SIGKILL if it does not end in ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
