"""Batched read-side writes: ``insert_new`` stores every new row once, whether it goes by
Django's bulk INSERT (small batches, SQLite) or by COPY through a staging table (a rebuild's
batches on PostgreSQL), and skips rows already stored (a batch applied again)."""

import uuid

import pytest
from django.db import IntegrityError

from egov.db import atomic
from egov.eventstore.batch_rows import (
    COPY_FROM,
    insert_new,
    insert_new_values,
    into_emptied_tables,
)
from tests.kerneltest.models import CounterView

pytestmark = pytest.mark.django_db(databases="__all__")
ALIAS = "kerneltest_read"


def _rows(count: int) -> list[CounterView]:
    return [
        CounterView(stream_id=uuid.uuid4(), value=i, owner=f"w-{i}", last_version=1)
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [3, COPY_FROM + 50])
def test_new_rows_are_stored_once_and_a_replayed_batch_adds_nothing(count):
    rows = _rows(count)
    with atomic(ALIAS):
        insert_new(CounterView, ALIAS, rows)
    with atomic(ALIAS):
        insert_new(CounterView, ALIAS, [*rows, *_rows(2)])  # applied again, two more

    stored = CounterView.objects.using(ALIAS)
    assert stored.count() == count + 2
    assert sorted(stored.values_list("value", flat=True)) == sorted([*range(count), 0, 1])
    assert stored.get(stream_id=rows[-1].stream_id).owner == f"w-{count - 1}"


@pytest.mark.parametrize("count", [3, COPY_FROM + 50])
def test_rows_given_as_tuples_are_stored_once_too(count):
    columns = ["stream_id", "value", "owner", "owner_name", "last_version"]
    rows = [(uuid.uuid4(), i, f"w-{i}", "", 1) for i in range(count)]
    with atomic(ALIAS):
        insert_new_values(CounterView, ALIAS, columns, rows)
    with atomic(ALIAS):
        insert_new_values(CounterView, ALIAS, columns, [*rows, (uuid.uuid4(), 7, "baru", "", 2)])

    stored = CounterView.objects.using(ALIAS)
    assert stored.count() == count + 1
    assert stored.get(stream_id=rows[-1][0]).owner == f"w-{count - 1}"
    assert stored.get(owner="baru").value == 7


def test_rows_as_tuples_must_give_every_column():
    with pytest.raises(ValueError, match="owner_name"):
        insert_new_values(CounterView, ALIAS, ["stream_id", "value", "owner", "last_version"], [])


@pytest.mark.postgres
def test_in_a_rebuild_rows_go_straight_to_the_table_and_a_stored_one_fails_loudly():
    rows = _rows(COPY_FROM + 50)
    with into_emptied_tables(), atomic(ALIAS):
        insert_new(CounterView, ALIAS, rows)

    stored = CounterView.objects.using(ALIAS)
    assert stored.count() == COPY_FROM + 50
    assert stored.get(stream_id=rows[7].stream_id).owner == "w-7"
    # A rebuild never applies a batch twice; if it did, the batch fails instead of skipping.
    with pytest.raises(IntegrityError), into_emptied_tables(), atomic(ALIAS):
        insert_new(CounterView, ALIAS, [rows[0], *_rows(COPY_FROM)])
    assert stored.count() == COPY_FROM + 50  # nothing of the failed batch
