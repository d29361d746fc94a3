"""Crypto-shredding (UU PDP 27/2022): personal fields are encrypted per data subject and erased
by destroying that subject's key; events still load afterwards."""

import json

import pytest
from cryptography.exceptions import InvalidTag

from egov.db import atomic
from egov.eventstore import feed, projections
from egov.eventstore.crypto import SubjectForgotten
from egov.eventstore.domain import ERASED, EventMetadata, is_erased
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView, KernelEvent, KernelSubjectKey
from tests.kerneltest.store import store

pytestmark = pytest.mark.django_db(databases="__all__")

META = EventMetadata(actor="petugas", source="test", reason="permintaan warga")


def _create(owner: str, name: str) -> Penghitung:
    counter = Penghitung.buat(pemilik=owner, nama=name)
    store.save(counter, META)
    return counter


def _project():
    projections.run_projector(projections.get_projector("kerneltest.counters"))


def test_personal_fields_are_stored_encrypted_and_load_in_clear():
    counter = _create("warga-1", "Siti Aminah")

    raw = KernelEvent.objects.using("kerneltest").get(stream_id=counter.id)
    [loaded] = store.load(counter.id)

    assert "Siti Aminah" not in json.dumps(raw.payload)
    assert raw.payload["pemilik"] == "warga-1"  # the subject id itself is pseudonymous
    assert loaded.payload["nama_pemilik"] == "Siti Aminah"


def test_another_contexts_consumer_never_sees_personal_fields():
    _create("warga-1", "Siti Aminah")

    [foreign] = feed.read_feed("kerneltest")
    [own] = feed.read_feed("kerneltest", decrypt=True)

    assert foreign.payload == {"pemilik": "warga-1"}
    assert own.payload == {"pemilik": "warga-1", "nama_pemilik": "Siti Aminah"}


def test_a_projector_decrypts_only_the_event_types_it_names():
    """A projector that needs personal fields of some events (``Projector.decrypts``) gets
    those opened and the others without personal fields: nothing else is unwrapped."""
    _create("warga-1", "Siti Aminah")
    _create("warga-2", "Budi Santoso")

    named = feed.read_feed("kerneltest", decrypt=frozenset({"PenghitungDibuat"}), typed=False)
    other = feed.read_feed("kerneltest", decrypt=frozenset({"PenghitungDitambah"}))

    assert [e.payload for e in named] == [
        {"pemilik": "warga-1", "nama_pemilik": "Siti Aminah"},
        {"pemilik": "warga-2", "nama_pemilik": "Budi Santoso"},
    ]
    assert [e.event for e in named] == [None, None]  # typed=False: payloads only
    assert [e.payload for e in other] == [{"pemilik": "warga-1"}, {"pemilik": "warga-2"}]
    assert [e.event for e in other] == [None, None]  # not decrypted: never typed


def test_forgetting_a_subject_erases_only_their_data_and_events_still_load():
    siti = _create("warga-1", "Siti Aminah")
    budi = _create("warga-2", "Budi Santoso")
    _project()

    store.forget_subject("warga-1", META)
    _project()

    [erased] = store.load(siti.id)
    [kept] = store.load(budi.id)
    assert is_erased(erased.payload["nama_pemilik"])
    assert erased.event.nama_pemilik is ERASED
    assert kept.payload["nama_pemilik"] == "Budi Santoso"
    assert store.get(Penghitung, siti.id).pemilik == "warga-1"  # the aggregate still rebuilds
    views = dict(CounterView.objects.using("kerneltest_read").values_list("owner", "owner_name"))
    assert views == {"warga-1": "", "warga-2": "Budi Santoso"}  # read side purged
    key = KernelSubjectKey.objects.using("kerneltest").get(subject_id="warga-1")
    assert key.wrapped_key is None
    assert key.destroyed_at is not None


def test_erasure_is_final_no_new_key_is_issued():
    _create("warga-1", "Siti Aminah")
    store.forget_subject("warga-1", META)
    before = KernelEvent.objects.using("kerneltest").count()

    with pytest.raises(SubjectForgotten), atomic("kerneltest"):
        _create("warga-1", "Siti Aminah")

    assert KernelEvent.objects.using("kerneltest").count() == before


def test_erasure_is_itself_an_event_with_its_reason():
    store.forget_subject("warga-9", META)

    [erasure] = feed.read_feed("kerneltest")
    assert erasure.event_type == "DataPribadiDihapus"
    assert erasure.payload == {"subject_id": "warga-9", "alasan": "permintaan warga"}


def test_a_ciphertext_moved_to_another_subject_does_not_decrypt():
    siti = _create("warga-1", "Siti Aminah")
    budi = _create("warga-2", "Budi Santoso")
    sealed = KernelEvent.objects.using("kerneltest").get(stream_id=siti.id).payload["nama_pemilik"]

    with pytest.raises(InvalidTag):  # bound to warga-1 and the field: tampering is loud
        store.codec.decrypt("warga-2", {"nama_pemilik": sealed}, {})
    assert store.load(budi.id)[0].payload["nama_pemilik"] == "Budi Santoso"


def test_erased_marker_reads_as_text():
    assert ERASED == "[dihapus]"
    assert isinstance(ERASED, str)
