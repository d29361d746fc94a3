"""Real Celery workers on per-context queues, on Redis or RabbitMQ, for the ops tests.

Each test gets a private queue prefix (``CELERY_QUEUE_PREFIX``), so its queues are its own on
a shared broker; Redis tests use their own database number (13)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from kombu import Connection

from tests.support import ROOT, WorkerDidNotStart, WorkerProcess, database_env, wait_until

BROKERS = {
    "redis": os.environ.get("TEST_OPS_REDIS_URL", "redis://127.0.0.1:6379/13"),
    "rabbitmq": os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}
REQUIRED = {"redis": "REQUIRE_REDIS", "rabbitmq": "REQUIRE_RABBITMQ"}


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    port = parts.port or (6379 if parts.scheme.startswith("redis") else 5672)
    try:
        with socket.create_connection((parts.hostname, port), timeout=1):
            return True
    except OSError:
        return False


def new_prefix() -> str:
    return f"ops{uuid.uuid4().hex[:8]}-"


def start(
    broker_url: str,
    prefix: str,
    queues: list[str],
    *,
    env: dict[str, str] | None = None,
    include: tuple[str, ...] = (),
    concurrency: int = 2,
) -> WorkerProcess:
    """A worker consuming ``prefix + queue`` for each of ``queues``, logging JSON; returns
    once it is ready."""
    environment = {
        **os.environ,
        **database_env(),
        "TEST_CELERY_BROKER_URL": broker_url,
        "CELERY_QUEUE_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "egov.settings_test",
        "LOG_FORMAT": "json",
        **(env or {}),
    }
    environment.pop("POSTGRES_URL", None)
    environment.pop("CELERY_QUEUE", None)  # per-context routing, not one queue
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "egov",
        "worker",
        "--pool",
        "threads",
        "--concurrency",
        str(concurrency),
        "-Q",
        ",".join(prefix + queue for queue in queues),
        "-n",
        f"{prefix}{uuid.uuid4().hex[:4]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "INFO",
    ]
    for module in include:
        command += ["--include", module]
    with tempfile.NamedTemporaryFile(
        "w+", prefix="ops-worker-", suffix=".log", delete=False
    ) as log:
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


def delete_queues(broker_url: str, names: list[str]) -> None:
    """Remove a test's queues from the broker (RabbitMQ keeps durable queues for ever)."""
    with Connection(broker_url, connect_timeout=2) as connection:
        for name in names:
            with connection.channel() as channel, contextlib.suppress(*connection.channel_errors):
                channel.queue_delete(name)
