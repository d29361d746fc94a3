"""The event store's hot statements (append, load, a subject's key) are prepared once per
PostgreSQL connection (``egov.db.run_statement(prepare=True)``), unless the alias forbids
prepared statements (behind PgBouncer: ``prepare_threshold`` None) or queries are logged."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from egov import unit_of_work
from egov.eventstore.domain import EventMetadata
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.store import store

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__", transaction=True)]

META = EventMetadata(actor="petugas", source="test", reason="uji")
ALIAS = "kerneltest"


def _create_and_change(owner: str) -> Penghitung:
    counter = Penghitung.buat(pemilik=owner, nama="Siti Aminah")
    store.save(counter, META)
    with unit_of_work.changing(store, Penghitung, counter.id, META, not_found="?") as loaded:
        loaded.tambah(2)
    return counter


def _prepared() -> list[str]:
    """The statements prepared on this alias's connection (the server's own view)."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time")
        return [row[0] for row in cursor.fetchall()]


def _kinds(statements: list[str]) -> set[str]:
    kinds = set()
    for sql in statements:
        if sql.startswith('INSERT INTO "kerneltest_event"'):
            kinds.add("append")
        elif 'FROM "kerneltest_event" AS e LEFT JOIN LATERAL' in sql:
            kinds.add("load")
        elif sql.startswith('WITH new_key AS (INSERT INTO "kerneltest_subject_key"'):
            kinds.add("append with a new key")
    return kinds


def _events(counter: Penghitung) -> list[tuple]:
    return [(r.version, r.event_type, r.payload) for r in store.load(counter.id)]


def test_the_hot_statements_are_prepared_and_give_the_same_events():
    connections[ALIAS].close()  # a fresh connection: nothing prepared yet
    counter = _create_and_change("3171010101900001")

    assert _kinds(_prepared()) == {"append with a new key", "load", "append"}
    assert _events(counter) == [
        (1, "PenghitungDibuat", {"pemilik": "3171010101900001", "nama_pemilik": "Siti Aminah"}),
        (2, "PenghitungDitambah", {"jumlah": 2, "catatan": ""}),
    ]
    # Prepared once: a second command reuses them, on a connection reopened too.
    count = len(_prepared())
    _create_and_change("3171010101900002")
    assert len(_prepared()) == count
    connections[ALIAS].close()
    again = _create_and_change("3171010101900003")
    assert _kinds(_prepared()) == {"append with a new key", "load", "append"}
    assert [version for version, *_ in _events(again)] == [1, 2]


def test_nothing_is_prepared_where_the_alias_forbids_it(monkeypatch):
    options = dict(connections[ALIAS].settings_dict["OPTIONS"], prepare_threshold=None)
    monkeypatch.setitem(connections[ALIAS].settings_dict, "OPTIONS", options)
    connections[ALIAS].close()
    counter = _create_and_change("3171010101900004")

    assert _prepared() == []
    assert [version for version, *_ in _events(counter)] == [1, 2]
    connections[ALIAS].close()  # the next test's connection gets the alias's own options


def test_nothing_is_prepared_while_queries_are_logged():
    connections[ALIAS].close()
    with CaptureQueriesContext(connections[ALIAS]) as queries:
        _create_and_change("3171010101900005")

    assert _prepared() == []
    appends = [q["sql"] for q in queries if 'INSERT INTO "kerneltest_event"' in q["sql"]]
    assert len(appends) == 2
    assert "3171010101900005" in appends[0]  # the logged statement has its parameters
