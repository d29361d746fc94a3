"""Faults on the real stack: PostgreSQL, Redis and real Celery worker processes, no mocks.

- A worker SIGKILLed in the middle of a projection batch: its open transaction leaves nothing,
  a new worker and the beat sweep finish the backlog, every read row exactly once.
- One context's database refusing connections: that context's API answers 503 with
  Retry-After, the others answer as usual; once it is back, what waited is delivered once.
- The broker unreachable while commands run: they still answer; once it is back, the worker
  and the beat sweeps catch up.

Recovery times are printed (``-s``), not asserted.
"""

import os
import signal
import time

import pytest
from django.db import connections
from django.db.models import Count

from egov.celery import app as celery_app
from egov.db import atomic
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.tasks import sweep_projections
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView, KernelEvent, SeenEvent
from tests.kerneltest.store import store as counter_store
from tests.support import start_worker, stop_worker, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(databases="__all__", transaction=True),
]

META = EventMetadata(actor="petugas", source="test")


def total_lag() -> int:
    """Events not yet applied, summed over every projector and feed (as ``manage.py
    projections`` computes it)."""
    return sum(row["lag"] for p in projections.all_projectors() for row in projections.lag(p))


def open_write_transactions(alias: str) -> int:
    """Other sessions on ``alias``'s database inside a transaction that has written."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0]


def second_worker():
    """A new worker on the queue and broker this test process sends to (``real_worker``)."""
    return start_worker(celery_app.conf.broker_url, celery_app.conf.task_default_queue)


# --- 1. A worker killed mid-batch ------------------------------------------------------------

COUNTERS = 60
ADDS = 24  # 25 events per counter: 1500 events, three batches of at most 500


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(real_worker):
    counter_view = projections.get_projector("kerneltest.counters")
    seen = SeenEvent.objects.using("kerneltest_read")
    counters = []
    with atomic("kerneltest"):  # one commit: the whole backlog at once
        for i in range(COUNTERS):
            counter = Penghitung.buat(pemilik=f"warga-{i}", nama=f"Warga {i}")
            for k in range(ADDS):
                counter.tambah(1 + (i + k) % 3)
            counter_store.save(counter, META)
            counters.append(counter)
    total = COUNTERS * (ADDS + 1)
    assert KernelEvent.objects.using("kerneltest").count() == total

    # Kill the worker while a batch is in flight after an earlier batch has committed.
    mid_batch = wait_until(
        lambda: 0 < seen.count() < total and open_write_transactions("kerneltest_read") > 0,
        timeout=60,
        interval=0.005,
    )
    assert mid_batch, f"never caught the worker mid-batch ({seen.count()}/{total} applied)"
    os.kill(real_worker.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    real_worker.wait(timeout=10)
    assert wait_until(lambda: open_write_transactions("kerneltest_read") == 0, timeout=10)

    # The killed batch left nothing: the read rows are exactly the checkpointed prefix.
    [lag] = projections.lag(counter_view)
    applied = seen.count()
    assert 0 < applied < total
    assert lag["lag"] == total - applied
    assert set(seen.values_list("event_id", flat=True)) == _event_ids_up_to_checkpoint()

    worker = second_worker()
    try:
        restarted_at = time.monotonic()
        sweep_projections.delay()  # what beat does every PROJECTION_SWEEP_SECONDS
        assert wait_until(lambda: total_lag() == 0, timeout=60), total_lag()
        recovered_at = time.monotonic()
    finally:
        stop_worker(worker)
    print(
        f"\n[faults] SIGKILL mid-batch: {applied}/{total} events applied at the kill; lag 0 "
        f"{recovered_at - restarted_at:.2f} s after the new worker was ready, "
        f"{recovered_at - killed_at:.2f} s after the kill (worker start included)"
    )

    # Every event applied exactly once; each counter's row is what its events imply.
    assert seen.count() == total
    assert set(seen.values_list("event_id", flat=True)) == set(
        KernelEvent.objects.using("kerneltest").values_list("event_id", flat=True)
    )
    rows = {row.stream_id: row for row in CounterView.objects.using("kerneltest_read")}
    assert set(rows) == {c.id for c in counters}
    per_stream = dict(
        KernelEvent.objects.using("kerneltest")
        .values("stream_id")
        .annotate(n=Count("event_id"))
        .values_list("stream_id", "n")
    )
    for i, counter in enumerate(counters):
        row = rows[counter.id]
        assert row.value == counter.nilai == sum(1 + (i + k) % 3 for k in range(ADDS))
        assert row.last_version == per_stream[counter.id] == ADDS + 1
        assert row.owner_name == f"Warga {i}"


def _event_ids_up_to_checkpoint() -> set:
    """The events at or before the projector's checkpoint, in feed order ``(tx, position)``."""
    from egov.eventstore.models import Checkpoint

    checkpoint = Checkpoint.objects.using("kerneltest_read").get(
        projector="kerneltest.counters", feed="kerneltest"
    )
    with connections["kerneltest"].cursor() as cursor:
        cursor.execute(
            'SELECT event_id FROM kerneltest_event WHERE (tx_id::text::bigint, "position")'
            " <= (%s, %s)",
            [checkpoint.tx, checkpoint.position],
        )
        return {row[0] for row in cursor.fetchall()}
