"""The event store on both backends: append, load, concurrency, idempotency, append-only."""

import uuid

import pytest
from django.db import DatabaseError, connections

from egov.db import atomic
from egov.eventstore.domain import DomainError, EventMetadata
from egov.eventstore.models import AppendOnlyError
from egov.eventstore.store import ConcurrencyError, PendingEvent
from tests.kerneltest.domain import Penghitung, PenghitungDitambah
from tests.kerneltest.models import KernelEvent
from tests.kerneltest.store import store

pytestmark = pytest.mark.django_db(databases="__all__")

META = EventMetadata(
    actor="petugas-1",
    source="test",
    officer_id="petugas-1",
    correlation_id="corr-1",
    causation_id="cause-1",
    request_id="req-1",
)


def _events():
    return KernelEvent.objects.using("kerneltest")


def _new_counter(amount: int = 2) -> Penghitung:
    counter = Penghitung.buat(pemilik="warga-1", nama="Siti")
    counter.tambah(amount)
    store.save(counter, META)
    return counter


def test_append_then_load_rebuilds_the_aggregate_with_versions_and_metadata():
    counter = _new_counter(2)

    loaded = store.get(Penghitung, counter.id)
    rows = list(_events().filter(stream_id=counter.id).order_by("version"))

    assert (loaded.nilai, loaded.pemilik, loaded.version) == (2, "warga-1", 2)
    assert [(r.event_type, r.version, r.stream_type) for r in rows] == [
        ("PenghitungDibuat", 1, "Penghitung"),
        ("PenghitungDitambah", 2, "Penghitung"),
    ]
    assert rows[0].metadata == META.to_dict()
    assert rows[0].subject_id == "warga-1"
    assert rows[1].subject_id == ""


def test_a_stale_expected_version_raises_and_appends_nothing():
    counter = _new_counter()
    stale = store.get(Penghitung, counter.id)
    fresh = store.get(Penghitung, counter.id)
    fresh.tambah(1)
    store.save(fresh, META)

    stale.tambah(5)
    with pytest.raises(ConcurrencyError), atomic("kerneltest"):  # the command's transaction
        store.save(stale, META)

    assert _events().filter(stream_id=counter.id).count() == 3
    assert store.get(Penghitung, counter.id).nilai == 3


def test_appending_the_same_event_id_again_is_a_no_op():
    stream_id, event = uuid.uuid4(), PendingEvent(PenghitungDitambah(jumlah=1))
    first = store.append(
        stream_id=stream_id,
        stream_type="Penghitung",
        expected_version=0,
        events=[event],
        metadata=META,
    )
    again = store.append(
        stream_id=stream_id,
        stream_type="Penghitung",
        expected_version=0,
        events=[event],
        metadata=META,
    )

    assert len(first) == 1
    assert again == []
    assert _events().filter(event_id=event.event_id).count() == 1


def test_a_rule_violation_records_nothing():
    counter = _new_counter()
    loaded = store.get(Penghitung, counter.id)

    with pytest.raises(DomainError) as refused:
        loaded.tambah(0)

    assert refused.value.code == "jumlah_tidak_valid"
    assert loaded.pending == []
    assert _events().filter(stream_id=counter.id).count() == 2


def test_the_orm_refuses_to_change_or_delete_an_event():
    _new_counter()
    row = _events().first()

    row.event_type = "Dipalsukan"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        _events().filter(pk=row.pk).update(event_type="Dipalsukan")
    with pytest.raises(AppendOnlyError):
        _events().all().delete()

    assert _events().get(pk=row.pk).event_type == "PenghitungDibuat"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE kerneltest_event SET event_type = 'Dipalsukan'",
        "DELETE FROM kerneltest_event",
    ],
)
def test_the_database_refuses_raw_update_and_delete(statement):
    _new_counter()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        atomic("kerneltest"),
        connections["kerneltest"].cursor() as cursor,
    ):
        cursor.execute(statement)

    assert list(_events().values_list("event_type", flat=True)) == [
        "PenghitungDibuat",
        "PenghitungDitambah",
    ]


def test_an_old_schema_version_loads_through_its_upcaster():
    stream_id = uuid.uuid4()
    store.append(
        stream_id=stream_id,
        stream_type="Penghitung",
        expected_version=0,
        events=[PenghitungDitambah(jumlah=1)],
        metadata=META,
    )
    # A v1 row as an older release wrote it: {"n": 4}.
    KernelEvent.objects.using("kerneltest").create(
        event_id=uuid.uuid4(),
        stream_id=stream_id,
        stream_type="Penghitung",
        version=2,
        event_type="PenghitungDitambah",
        schema_version=1,
        payload={"n": 4},
        metadata=META.to_dict(),
        recorded_at="2024-01-01T00:00:00Z",
    )

    events = [r.event for r in store.load(stream_id)]

    assert events == [PenghitungDitambah(jumlah=1), PenghitungDitambah(jumlah=4, catatan="")]


@pytest.mark.postgres
def test_postgres_also_refuses_truncate():
    _new_counter()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        atomic("kerneltest"),
        connections["kerneltest"].cursor() as cursor,
    ):
        cursor.execute("TRUNCATE kerneltest_event")

    assert _events().count() == 2


def test_save_many_appends_every_stream_at_its_version_in_a_few_statements(monkeypatch):
    """Many new streams at once (bansos's payment instructions): every event stored at its
    version, encrypted like ``save``; one stream that moved meanwhile fails the whole call."""
    monkeypatch.setattr("egov.eventstore.store.ROWS_PER_INSERT", 4)
    counters = [Penghitung.buat(pemilik=f"warga-{i}", nama=f"Warga {i}") for i in range(5)]
    for counter in counters:
        counter.tambah(1)

    with atomic("kerneltest"):
        assert store.save_many(counters, META) == 10

    assert [c.version for c in counters] == [2] * 5
    assert _events().count() == 10
    loaded = [store.get(Penghitung, c.id) for c in counters]
    assert [(c.nilai, c.version) for c in loaded] == [(1, 2)] * 5
    assert "Warga 3" not in str(_events().filter(stream_id=counters[3].id).first().payload)

    stale = Penghitung.rehydrate(counters[0].id, [])  # version 0: its events exist already
    stale.tambah(5)
    fresh = Penghitung.buat(pemilik="warga-9", nama="Warga 9")
    with pytest.raises(ConcurrencyError), atomic("kerneltest"):
        store.save_many([fresh, stale], META)
    assert _events().count() == 10  # nothing of the failed call stays
