"""``egov.db.insert_if_absent``: a key reserved in one statement, no savepoint. A taken key
answers False and leaves the transaction usable; defaults are filled as ``create`` does; on
PostgreSQL a concurrent insert of the same key waits for the first transaction and then
answers by its outcome."""

import threading
import time
import uuid

import pytest
from django.db import IntegrityError, connections

from egov.db import atomic, insert_if_absent
from tests.kerneltest.models import CounterView

READ = "kerneltest_read"


@pytest.mark.django_db(databases="__all__")
def test_a_free_key_is_inserted_a_taken_one_is_not_and_the_transaction_goes_on():
    key = uuid.uuid4()
    with atomic(READ):
        first = insert_if_absent(CounterView, READ, stream_id=key, owner="siti")
        again = insert_if_absent(CounterView, READ, stream_id=key, owner="budi")
        rows = list(CounterView.objects.using(READ).values_list("stream_id", "owner", "value"))

    assert (first, again) == (True, False)
    assert rows == [(key, "siti", 0)]  # the first row kept; value took its default


@pytest.mark.django_db(databases="__all__")
def test_an_error_that_is_not_a_taken_key_is_raised():
    with pytest.raises(IntegrityError):
        insert_if_absent(CounterView, READ, stream_id=uuid.uuid4(), owner=None)


@pytest.mark.postgres
@pytest.mark.django_db(databases="__all__", transaction=True)
@pytest.mark.parametrize("first_commits", [True, False])
def test_a_concurrent_insert_of_the_same_key_waits_for_the_first(first_commits):
    key, answers, holding = uuid.uuid4(), {}, threading.Event()

    def first():
        try:
            with atomic(READ):
                answers["first"] = insert_if_absent(CounterView, READ, stream_id=key)
                holding.set()
                time.sleep(0.5)  # the second is blocked on the key meanwhile
                if not first_commits:
                    raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        finally:
            connections.close_all()

    def second():
        holding.wait(timeout=10)
        started = time.monotonic()
        try:
            answers["second"] = insert_if_absent(CounterView, READ, stream_id=key)
            answers["waited"] = time.monotonic() - started
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert (answers["first"], answers["second"]) == (True, not first_commits)
    assert answers["waited"] > 0.3
    assert CounterView.objects.using(READ).filter(stream_id=key).count() == 1
