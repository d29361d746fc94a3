"""End to end on the real stack: an append in this process, a real Celery worker on Redis
projects it into the read database."""

import pytest

from egov.eventstore.domain import EventMetadata
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView
from tests.kerneltest.store import store
from tests.support import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(databases="__all__", transaction=True),
]


def test_a_real_worker_projects_an_appended_event(real_worker):
    counter = Penghitung.buat(pemilik="warga-1", nama="Siti Aminah")
    counter.tambah(5)

    store.save(counter, EventMetadata(actor="petugas", source="test"))

    rows = CounterView.objects.using("kerneltest_read")
    row = wait_until(lambda: rows.filter(stream_id=counter.id, last_version=2).first(), timeout=30)
    assert row is not None, "the worker did not project the events"
    assert (row.value, row.owner, row.owner_name) == (5, "warga-1", "Siti Aminah")
