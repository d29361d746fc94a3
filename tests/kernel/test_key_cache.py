"""Unwrapped subject keys cached for one unit of work (``egov.eventstore.crypto.unit_keys``):
read once with the stream, reused by the append; never served once destroyed, never kept
beyond the unit of work, never outliving a rolled-back savepoint that created the key."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from egov import unit_of_work
from egov.db import atomic
from egov.eventstore import crypto, feed
from egov.eventstore.crypto import SubjectForgotten
from egov.eventstore.domain import EventMetadata, is_erased
from tests.kerneltest.domain import Penghitung, PenghitungDibuat
from tests.kerneltest.store import store

pytestmark = pytest.mark.django_db(databases="__all__")

META = EventMetadata(actor="petugas", source="test", reason="permintaan warga")
ALIAS = "kerneltest"
KEY_TABLE = "kerneltest_subject_key"


class Boom(Exception):
    pass


def _create(owner: str, name: str) -> Penghitung:
    counter = Penghitung.buat(pemilik=owner, nama=name)
    store.save(counter, META)
    return counter


def _changing(counter: Penghitung):
    return unit_of_work.changing(store, Penghitung, counter.id, META, not_found="tidak ada")


def _key_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if KEY_TABLE in q["sql"]]


def test_within_a_unit_of_work_the_key_is_read_once_with_the_stream():
    counter = _create("warga-1", "Siti Aminah")

    with CaptureQueriesContext(connections[ALIAS]) as queries, _changing(counter) as loaded:
        loaded._record(PenghitungDibuat(pemilik="warga-1", nama_pemilik="Siti A."))

    [load] = _key_queries(queries)  # the stream's load brought the key: no second fetch
    assert "kerneltest_event" in load
    events = store.load(counter.id)
    assert [e.payload["nama_pemilik"] for e in events] == ["Siti Aminah", "Siti A."]


def _forget_then_record(counter: Penghitung) -> None:
    with _changing(counter) as loaded:
        assert store.codec._cached("warga-1") is not None  # the load cached it
        store.forget_subject("warga-1", META)
        assert store.codec._cached("warga-1") is None
        [reloaded] = store.load(counter.id)  # the same unit of work reads it as erased
        assert is_erased(reloaded.payload["nama_pemilik"])
        loaded._record(PenghitungDibuat(pemilik="warga-1", nama_pemilik="Siti lagi"))


def test_after_forget_subject_the_unit_of_work_does_not_serve_the_key():
    counter = _create("warga-1", "Siti Aminah")

    # the append is refused: nothing is encrypted under the destroyed key
    with pytest.raises(SubjectForgotten):
        _forget_then_record(counter)


def test_nothing_is_cached_across_units_of_work():
    counter = _create("warga-1", "Siti Aminah")
    with _changing(counter) as loaded:
        loaded.tambah(1)
        assert store.codec._cached("warga-1") is not None
    assert crypto._unit_keys.get() is None  # the cache ended with its unit of work

    store.forget_subject("warga-1", META)

    with pytest.raises(SubjectForgotten):
        _record_again(counter)


def _record_again(counter: Penghitung) -> None:
    with _changing(counter) as loaded:
        assert store.codec._cached("warga-1") is None
        assert is_erased(store.load(counter.id)[0].payload["nama_pemilik"])
        loaded._record(PenghitungDibuat(pemilik="warga-1", nama_pemilik="Siti lagi"))


def test_a_key_created_in_a_rolled_back_savepoint_is_not_served():
    counter = _create("warga-1", "Siti Aminah")

    lost = []

    def create_then_fail() -> None:
        with atomic(ALIAS):
            lost.append(store.codec.key_for_writing("warga-baru"))
            assert store.codec._cached("warga-baru") == lost[0]
            raise Boom

    with _changing(counter) as loaded:
        with pytest.raises(Boom):
            create_then_fail()
        assert store.codec._cached("warga-baru") is None
        kept = store.codec.key_for_writing("warga-baru")
        loaded.tambah(1)

    assert kept != lost[0]
    assert store.codec._existing_key("warga-baru") == (True, kept)  # the stored key


def test_a_key_read_before_a_savepoint_survives_its_release():
    counter = _create("warga-1", "Siti Aminah")

    with _changing(counter) as loaded:
        key = store.codec._cached("warga-1")
        with atomic(ALIAS):
            assert store.codec._cached("warga-1") == key
        assert store.codec._cached("warga-1") == key
        loaded.tambah(1)


def test_nested_units_of_work_share_one_cache_so_forgetting_reaches_the_outer():
    siti = _create("warga-1", "Siti Aminah")
    budi = _create("warga-2", "Budi Santoso")

    def forget_inside_then_record_outside() -> None:
        with _changing(siti) as outer:
            with _changing(budi) as inner:
                store.forget_subject("warga-1", META)
                inner.tambah(1)
            outer._record(PenghitungDibuat(pemilik="warga-1", nama_pemilik="Siti lagi"))

    with pytest.raises(SubjectForgotten):
        forget_inside_then_record_outside()


def test_a_new_subjects_key_is_created_once_and_read_back():
    with atomic(ALIAS), crypto.unit_keys():
        key = store.codec.key_for_writing("warga-baru")
        assert store.codec.key_for_writing("warga-baru") == key
    assert store.codec.key_for_writing("warga-baru") == key  # outside: read from its row
    store.forget_subject("warga-baru", META)
    with pytest.raises(SubjectForgotten):
        store.codec.key_for_writing("warga-baru")


def test_a_feed_batch_fetches_its_subjects_keys_in_one_query():
    for n in range(5):
        _create(f"warga-{n}", f"Warga {n}")
    store.forget_subject("warga-3", META)

    with CaptureQueriesContext(connections[ALIAS]) as queries:
        batch = feed.read_feed(ALIAS, decrypt=True)

    assert len(_key_queries(queries)) == 1
    names = {
        e.payload["pemilik"]: e.payload["nama_pemilik"]
        for e in batch
        if e.event_type == "PenghitungDibuat"
    }
    assert is_erased(names.pop("warga-3"))
    assert names == {f"warga-{n}": f"Warga {n}" for n in (0, 1, 2, 4)}
