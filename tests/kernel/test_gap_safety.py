"""No consumer may skip or double-apply an event, even when PostgreSQL transactions commit
out of position order. Real processes, real threads, real PostgreSQL."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connections

from egov.db import atomic
from egov.eventstore import feed, projections
from egov.eventstore.domain import EventMetadata
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import KernelEvent, SeenEvent
from tests.kerneltest.store import store
from tests.support import database_env, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__", transaction=True)]

WRITERS = 8
COMMANDS_PER_WRITER = 40  # two events each
ROOT = Path(__file__).resolve().parents[2]


def _start_writers() -> list[subprocess.Popen]:
    env = {**os.environ, **database_env(), "DJANGO_SETTINGS_MODULE": "egov.settings_test"}
    env.pop("POSTGRES_URL", None)
    return [
        subprocess.Popen(
            [sys.executable, "-m", "tests.kernel.gap_writer", str(i), str(COMMANDS_PER_WRITER)],
            env=env,
            cwd=ROOT,
        )
        for i in range(WRITERS)
    ]


class FeedConsumer(threading.Thread):
    """Reads the feed by cursor, as a projector would, until it has seen ``expected`` events
    (or for a grace period after the writers stop: a transaction elsewhere on the server can
    hold the horizon back for a moment, which delays the feed but must never make it skip)."""

    def __init__(self, expected: int):
        super().__init__(daemon=True)
        self.expected = expected
        self.seen: list = []
        self.stop = threading.Event()

    def run(self):
        cursor, deadline = feed.START, None
        try:
            while len(self.seen) < self.expected:
                batch = feed.read_feed("kerneltest", after=cursor, limit=37)
                self.seen.extend(e.event_id for e in batch)
                if batch:
                    cursor = batch[-1].cursor
                    continue
                if self.stop.is_set():
                    deadline = deadline or time.monotonic() + 30
                    if time.monotonic() > deadline:
                        return
                time.sleep(0.005)
        finally:
            connections.close_all()


class ProjectorRunner(threading.Thread):
    def __init__(self, stop: threading.Event):
        super().__init__(daemon=True)
        self.stop_event = stop

    def run(self):
        projector = projections.get_projector("kerneltest.counters")
        try:
            while not self.stop_event.is_set():
                projections.run_projector(projector, limit=25)
            projections.run_projector(projector)
        finally:
            connections.close_all()


def test_eight_writers_and_concurrent_consumers_see_every_event_exactly_once_in_order():
    expected = WRITERS * COMMANDS_PER_WRITER * 2
    consumer = FeedConsumer(expected)
    runners = [ProjectorRunner(consumer.stop) for _ in range(2)]
    consumer.start()
    for runner in runners:
        runner.start()

    writers = _start_writers()
    assert [w.wait(timeout=240) for w in writers] == [0] * WRITERS
    consumer.stop.set()
    consumer.join(timeout=60)
    for runner in runners:
        runner.join(timeout=60)

    all_ids = set(KernelEvent.objects.using("kerneltest").values_list("event_id", flat=True))
    assert len(all_ids) == expected
    # The raw feed consumer: every event once, none skipped.
    assert len(consumer.seen) == expected
    assert set(consumer.seen) == all_ids
    # Stable order: reading the whole feed again gives the very same sequence.
    replay = [e.event_id for e in feed.read_feed("kerneltest", limit=expected + 1)]
    assert replay == consumer.seen
    # Two projector runners at once: each event applied once, in feed order.
    seen_rows = SeenEvent.objects.using("kerneltest_read")
    projector = projections.get_projector("kerneltest.counters")
    wait_until(
        lambda: projections.run_projector(projector) == 0 and seen_rows.count() == expected,
        timeout=30,
    )
    applied = list(
        SeenEvent.objects.using("kerneltest_read")
        .order_by("order")
        .values_list("event_id", flat=True)
    )
    assert applied == replay


def _append_in_open_transaction(started: threading.Event, release: threading.Event, out: dict):
    try:
        with atomic("kerneltest"):
            counter = Penghitung.buat(pemilik="lambat", nama="Ani")
            [recorded] = store.save(counter, EventMetadata(actor="slow", source="test"))
            out["position"] = recorded.position
            started.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


def test_an_event_committed_out_of_position_order_is_not_skipped():
    """T1 takes position p and stays open; T2 takes p+1 and commits. A consumer must not move
    past p+1 while p is in flight; once T1 commits it sees p then p+1."""
    started, release, slow = threading.Event(), threading.Event(), {}
    t1 = threading.Thread(target=_append_in_open_transaction, args=(started, release, slow))
    t1.start()
    assert started.wait(timeout=30)

    fast = Penghitung.buat(pemilik="cepat", nama="Bayu")
    [fast_event] = store.save(fast, EventMetadata(actor="fast", source="test"))
    assert fast_event.position > slow["position"]

    assert feed.read_feed("kerneltest") == []  # the committed later event waits behind T1

    release.set()
    t1.join(timeout=30)
    events = wait_until(lambda: feed.read_feed("kerneltest"), timeout=30)
    assert [e.position for e in events] == [slow["position"], fast_event.position]


def test_a_run_that_found_events_held_back_runs_again_shortly(monkeypatch):
    """A worker's run reads while another transaction is open on the server: the event
    committed meanwhile stays hidden, so the run asks for another one shortly instead of
    leaving it to the next commit or the beat sweep."""
    from egov.eventstore import tasks

    sent = []
    monkeypatch.setattr(projections, "projectors_of", lambda _context: [])  # runs by hand here
    monkeypatch.setattr(tasks, "_in_process", lambda: False)  # as on a worker
    monkeypatch.setattr(
        tasks.run_projector_task,
        "apply_async",
        lambda args, kwargs, countdown: sent.append((args, kwargs, countdown)),
    )
    started, release, slow = threading.Event(), threading.Event(), {}
    t1 = threading.Thread(target=_append_in_open_transaction, args=(started, release, slow))
    t1.start()
    assert started.wait(timeout=30)
    store.save(Penghitung.buat(pemilik="cepat", nama="Bayu"), EventMetadata(actor="t", source="t"))

    assert tasks.run_projector_task("kerneltest.counters") == 0  # both hidden behind T1
    assert sent == [(("kerneltest.counters",), {"attempt": 1}, tasks.HELD_BACK_DELAYS[0])]

    release.set()
    t1.join(timeout=30)
    assert wait_until(lambda: tasks.run_projector_task("kerneltest.counters", attempt=1) == 2)
    assert len(sent) == 1  # nothing held back any more: no further run asked
