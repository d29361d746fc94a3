"""Real Celery workers on per-context queues, on Redis or RabbitMQ, for the ops tests.

Each test gets a private queue prefix (``CELERY_QUEUE_PREFIX``), so its queues are its own on
a shared broker; Redis tests use their own database number (13)."""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from urllib.parse import urlsplit

from kombu import Connection

from tests.support import WorkerProcess, start_worker

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
) -> WorkerProcess:
    """A worker consuming ``prefix + queue`` for each of ``queues``, logging JSON; returns
    once it is ready."""
    return start_worker(
        broker_url,
        ",".join(prefix + queue for queue in queues),
        env={"CELERY_QUEUE_PREFIX": prefix, "LOG_FORMAT": "json", **(env or {})},
        include=include,
        name=f"{prefix}{uuid.uuid4().hex[:4]}@%h",
    )


def delete_queues(broker_url: str, names: list[str]) -> None:
    """Remove a test's queues from the broker (RabbitMQ keeps durable queues for ever)."""
    with Connection(broker_url, connect_timeout=2) as connection:
        for name in names:
            with connection.channel() as channel, contextlib.suppress(*connection.channel_errors):
                channel.queue_delete(name)
