"""On PostgreSQL a new data subject's key is stored by the statement that appends their first
events (``EventStore._insert`` with a key): both or neither. A subject who already had a key
(or a destroyed one) gets nothing written by it; the append then seals with the stored key,
or refuses a forgotten subject."""

import threading
import uuid

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from egov.db import atomic
from egov.eventstore.crypto import SubjectForgotten
from egov.eventstore.domain import EventMetadata
from egov.eventstore.store import ConcurrencyError
from tests.kerneltest.domain import Penghitung, PenghitungDibuat
from tests.kerneltest.models import KernelEvent
from tests.kerneltest.store import store
from tests.support import run_threads

pytestmark = pytest.mark.postgres

META = EventMetadata(actor="petugas", source="test", reason="uji")
ALIAS = "kerneltest"
KEY_TABLE = "kerneltest_subject_key"


def _create(owner: str, name: str) -> Penghitung:
    counter = Penghitung.buat(pemilik=owner, nama=name)
    with atomic(ALIAS):
        store.save(counter, META)
    return counter


def _key_rows(owner: str) -> list[tuple]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f"SELECT subject_id, wrapped_key IS NULL FROM {KEY_TABLE} WHERE subject_id = %s",  # noqa: S608
            [owner],
        )
        return cursor.fetchall()


def _names(counter: Penghitung) -> list[str]:
    return [str(r.payload.get("nama_pemilik")) for r in store.load(counter.id)]


@pytest.mark.django_db(databases="__all__")
def test_a_new_subjects_key_and_first_event_are_one_statement():
    with CaptureQueriesContext(connections[ALIAS]) as queries:
        counter = _create("warga-baru", "Siti Aminah")

    statements = [q["sql"] for q in queries if KEY_TABLE in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith(f'WITH new_key AS (INSERT INTO "{KEY_TABLE}"')
    assert _key_rows("warga-baru") == [("warga-baru", False)]
    assert _names(counter) == ["Siti Aminah"]


@pytest.mark.django_db(databases="__all__")
def test_a_subject_with_a_key_gets_their_stored_key_not_a_second_one():
    first = _create("warga-1", "Siti Aminah")
    with CaptureQueriesContext(connections[ALIAS]) as queries:
        second = _create("warga-1", "Siti A.")  # another stream, same person, new unit

    # Two statements, as before keys came with events: the refused try returns the key row.
    statements = [q["sql"][:40] for q in queries if "kerneltest_" in q["sql"]]
    assert statements == [
        'WITH new_key AS (INSERT INTO "kerneltest',
        'INSERT INTO "kerneltest_event" ("event_i',
    ]
    assert _key_rows("warga-1") == [("warga-1", False)]
    assert _names(first) == ["Siti Aminah"]
    assert _names(second) == ["Siti A."]


@pytest.mark.django_db(databases="__all__")
def test_a_forgotten_subject_is_refused_and_nothing_is_written():
    _create("warga-1", "Siti Aminah")
    store.forget_subject("warga-1", META)

    counter = Penghitung.buat(pemilik="warga-1", nama="Siti lagi")
    with pytest.raises(SubjectForgotten):
        store.save(counter, META)

    assert not KernelEvent.objects.using(ALIAS).filter(stream_id=counter.id).exists()
    assert _key_rows("warga-1") == [("warga-1", True)]


@pytest.mark.django_db(databases="__all__")
def test_a_refused_append_stores_no_key_either():
    counter = _create("warga-1", "Siti Aminah")
    stale = Penghitung(counter.id)  # version 0: the stream is at 1
    stale._record(PenghitungDibuat(pemilik="warga-lain", nama_pemilik="Budi"))

    with pytest.raises(ConcurrencyError), atomic(ALIAS):
        store.save(stale, META)

    assert _key_rows("warga-lain") == []


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_two_first_events_of_one_new_subject_at_once_share_one_key():
    owner, barrier, made, errors = f"warga-{uuid.uuid4().hex[:8]}", threading.Barrier(2), [], []

    def first_request(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            made.append(_create(owner, name))
        except Exception as exc:  # reported below
            errors.append(exc)

    run_threads(first_request, [("Siti",), ("Budi",)], timeout=30)

    assert errors == []
    assert _key_rows(owner) == [(owner, False)]
    assert sorted(name for counter in made for name in _names(counter)) == ["Budi", "Siti"]
