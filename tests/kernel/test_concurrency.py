"""Optimistic concurrency with real threads on PostgreSQL: one writer wins, the others get a
clear ConcurrencyError and write nothing."""

import threading
import uuid

import pytest
from django.db import connections

from egov.eventstore.domain import EventMetadata
from egov.eventstore.store import ConcurrencyError, PendingEvent
from tests.kerneltest.domain import Penghitung, PenghitungDitambah
from tests.kerneltest.models import KernelEvent
from tests.kerneltest.store import store

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__", transaction=True)]
META = EventMetadata(actor="t", source="test")


def _race(threads: int, work, prepare=lambda: None) -> list[str]:
    """Each thread runs ``prepare``, waits for all others, then ``work(prepared)``."""
    barrier, outcomes = threading.Barrier(threads), []

    def run():
        try:
            prepared = prepare()
            barrier.wait(timeout=10)
            work(prepared)
            outcomes.append("ok")
        except ConcurrencyError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return sorted(outcomes)


def test_writers_racing_on_one_stream_one_wins_the_rest_conflict():
    counter = Penghitung.buat(pemilik="warga-1", nama="Siti")
    store.save(counter, META)

    def load():
        loaded = store.get(Penghitung, counter.id)
        loaded.tambah(1)
        return loaded

    outcomes = _race(8, lambda loaded: store.save(loaded, META), prepare=load)

    assert outcomes == ["conflict"] * 7 + ["ok"]
    assert KernelEvent.objects.using("kerneltest").filter(stream_id=counter.id).count() == 2


def test_the_same_event_appended_concurrently_is_stored_once():
    stream_id, event = uuid.uuid4(), PendingEvent(PenghitungDitambah(jumlah=1))

    def append(_):
        store.append(
            stream_id=stream_id,
            stream_type="Penghitung",
            expected_version=0,
            events=[event],
            metadata=META,
        )

    outcomes = _race(6, append)

    assert outcomes == ["ok"] * 6  # a retry is never an error, and never a duplicate
    assert KernelEvent.objects.using("kerneltest").filter(stream_id=stream_id).count() == 1
