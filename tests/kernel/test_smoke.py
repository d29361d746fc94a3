import pytest

from egov.eventstore.domain import EventMetadata
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.store import store


@pytest.mark.django_db(databases="__all__")
def test_append_and_load():
    counter = Penghitung.buat(pemilik="s1", nama="Siti")
    store.save(counter, EventMetadata(actor="t", source="test"))
    assert store.get(Penghitung, counter.id).pemilik == "s1"


@pytest.mark.postgres
@pytest.mark.django_db(databases="__all__", transaction=True)
def test_transactional_on_pg():
    counter = Penghitung.buat(pemilik="s1", nama="Siti")
    store.save(counter, EventMetadata(actor="t", source="test"))
    assert store.stream_version(counter.id) == 1
