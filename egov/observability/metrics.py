"""egov's own Prometheus metrics, beside django-prometheus's (requests, latency, databases).

Two kinds, because egov runs as many processes (gunicorn workers, Celery workers) that a
scrape reaches only one of:

- **Counted where it happens**: ``egov_events_appended_total{context}``, incremented when a
  transaction that appended events commits, in whichever process committed it. With
  several processes, prometheus_client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, one
  directory per host, emptied at start) sums every process's files at scrape time; Celery
  workers on another host serve their own (``EGOV_WORKER_METRICS_PORT``).
- **Computed at scrape time** from what every process shares (the databases, the broker), so
  any one process answers for all and nothing has to be summed: projector lag, queue depth,
  bus relay lag. Each is one cheap query per database or queue: the feed's head is the
  largest position (the primary key's index), checkpoints are a few rows.

The lag figures are positions: head position minus the checkpoint's position, an
approximation of the events behind (a rolled-back append leaves a gap in positions; on
PostgreSQL the feed's order is by transaction first). ``manage.py projections`` counts
exactly. A source that cannot be read (a database or the broker down) is reported as
``egov_metrics_source_up{source} 0`` and its series are left out of that scrape.
"""

from __future__ import annotations

import logging
import os

from django.apps import apps as django_apps
from django.conf import settings
from django.db.models import Max
from prometheus_client import REGISTRY, CollectorRegistry, Counter, multiprocess
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

EVENTS_APPENDED = Counter(
    "egov_events_appended",
    "Events appended to a context's event store (counted when their transaction commits).",
    ["context"],
)


def count_appended(context: str, count: int) -> None:
    EVENTS_APPENDED.labels(context=context).inc(count)


def _head_positions(contexts) -> tuple[dict[str, int], list[str]]:
    from egov.eventstore.store import get_store

    heads, failed = {}, []
    for context in contexts:
        store = get_store(context)
        try:
            rows = store.event_model.objects.using(store.alias)
            heads[context] = rows.aggregate(head=Max("position"))["head"] or 0
        except Exception as exc:  # a context's database down: the others are still reported
            logger.warning("metrics: feed head of %s unreadable: %s", context, _first_line(exc))
            failed.append(f"feed:{context}")
    return heads, failed


def _checkpoints(projectors) -> tuple[dict[tuple[str, str], int], list[str]]:
    from egov.eventstore.models import Checkpoint

    positions, failed = {}, []
    for alias in sorted({p.alias for p in projectors}):
        names = [p.name for p in projectors if p.alias == alias]
        try:
            rows = Checkpoint.objects.using(alias).filter(projector__in=names)
            for projector, feed, position in rows.values_list("projector", "feed", "position"):
                positions[(projector, feed)] = position
        except Exception as exc:
            logger.warning("metrics: checkpoints on %s unreadable: %s", alias, _first_line(exc))
            failed.append(f"checkpoints:{alias}")
    return positions, failed


def _relay_checkpoints() -> tuple[list[tuple[str, str, int]], list[str]]:
    """The bus's outbound relay checkpoints (apps/bus ``CheckpointRelay``), looked up by name
    in the app registry: the kernel imports no context."""
    try:
        model = django_apps.get_model("bus", "CheckpointRelay")
    except LookupError:
        return [], []
    try:
        rows = model.objects.using("bus").values_list("stream", "konteks", "position")
        return list(rows), []
    except Exception as exc:
        logger.warning("metrics: relay checkpoints unreadable: %s", _first_line(exc))
        return [], ["relay"]


def queue_depths(queues: list[str]) -> dict[str, int]:
    """Messages waiting in each queue (all priorities; not those a worker holds), asked of
    the broker with a passive declare: a queue never declared is empty."""
    from egov.celery import app

    depths = {}
    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=0)
        for queue in queues:
            with connection.channel() as channel:
                try:
                    depths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except connection.channel_errors:
                    depths[queue] = 0  # not declared yet (RabbitMQ: 404; Redis: no list)
    return depths


class EgovCollector:
    """Gauges computed at scrape time (see the module's docstring)."""

    def collect(self):
        from egov.eventstore.projections import all_projectors

        projectors = all_projectors()
        feeds = sorted({feed for p in projectors for feed in p.subscriptions})
        relay, relay_failed = _relay_checkpoints()
        heads, failed = _head_positions(sorted({*feeds, *(c for _, c, _ in relay)}))
        checkpoints, checkpoints_failed = _checkpoints(projectors)
        failed += checkpoints_failed + relay_failed

        head = GaugeMetricFamily(
            "egov_feed_head_position",
            "Largest event position in a context's feed.",
            labels=["context"],
        )
        for context, position in sorted(heads.items()):
            head.add_metric([context], position)
        yield head

        lag = GaugeMetricFamily(
            "egov_projector_lag_events",
            "Feed head position minus the projector's checkpoint position on that feed.",
            labels=["projector", "feed", "context"],
        )
        for projector in projectors:
            for feed in projector.subscriptions:
                if feed in heads and f"checkpoints:{projector.alias}" not in failed:
                    behind = heads[feed] - checkpoints.get((projector.name, feed), 0)
                    lag.add_metric([projector.name, feed, projector.context], max(behind, 0))
        yield lag

        relay_lag = GaugeMetricFamily(
            "egov_bus_relay_lag_events",
            "Feed head position minus the bus relay's published position, per stream.",
            labels=["stream", "context"],
        )
        for stream, context, position in relay:
            if context in heads:
                relay_lag.add_metric([stream, context], max(heads[context] - position, 0))
        yield relay_lag

        yield from self._queues(failed)

        up = GaugeMetricFamily(
            "egov_metrics_source_up",
            "1 when a scrape-time source (feed, checkpoints, relay, broker) could be read.",
            labels=["source"],
        )
        sources = [
            *(f"feed:{context}" for context in sorted({*feeds, *(c for _, c, _ in relay)})),
            *(f"checkpoints:{alias}" for alias in sorted({p.alias for p in projectors})),
            "relay",
            *(["broker"] if _has_broker() else []),
        ]
        for source in sources:
            up.add_metric([source], 0 if source in failed else 1)
        yield up

    def _queues(self, failed: list[str]):
        from egov.queues import context_queues

        depth = GaugeMetricFamily(
            "egov_queue_depth_messages",
            "Task messages waiting in a Celery queue (priorities summed).",
            labels=["queue"],
        )
        if _has_broker():
            try:
                for queue, count in queue_depths(context_queues()).items():
                    depth.add_metric([queue], count)
            except Exception as exc:
                logger.warning("metrics: broker unreadable: %s", _first_line(exc))
                failed.append("broker")
        yield depth


def _has_broker() -> bool:
    from egov.celery import app

    return not app.conf.task_always_eager  # embedded mode has no broker and no queue


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class _ProcessMetrics:
    """This process's own registry (django-prometheus's and egov's counters) when not in
    multiprocess mode."""

    def collect(self):
        yield from REGISTRY.collect()


def registry() -> CollectorRegistry:
    """What ``/metrics`` serves: every process's counters (multiprocess mode) or this
    process's, plus the scrape-time gauges."""
    served = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(served)
    else:
        served.register(_ProcessMetrics())
    if settings.METRICS_SCRAPE_TIME_GAUGES:
        served.register(EgovCollector())
    return served


def serve_worker_metrics(**_kwargs) -> None:
    """Celery ``worker_ready``: with ``EGOV_WORKER_METRICS_PORT`` set, the worker serves its
    processes' counters (events its policies appended; multiprocess mode when
    ``PROMETHEUS_MULTIPROC_DIR`` is set, as with prefork) on that port, without the scrape-time
    gauges (the web's /metrics has them). For a worker on a host of its own (a Kubernetes
    pod); bind it to the pod's network only (EGOV_WORKER_METRICS_ADDR)."""
    port = os.environ.get("EGOV_WORKER_METRICS_PORT")
    if not port:
        return
    from prometheus_client import start_http_server

    served = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(served)
    else:
        served = REGISTRY
    address = os.environ.get("EGOV_WORKER_METRICS_ADDR", "127.0.0.1")
    start_http_server(int(port), addr=address, registry=served)
