"""One queued run per projector (egov/eventstore/coalesce.py): with a cache shared by web
and workers (Redis here), commits made while a run waits in the queue send nothing more; the
run releases its claim as it starts, so the next commit asks again. Without a shared cache,
or with the cache down, every commit asks."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from egov.eventstore import coalesce, projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.tasks import run_projector_task
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView
from tests.kerneltest.store import store
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")

META = EventMetadata(actor="t", source="test")
KERNELTEST = sorted(p.name for p in projections.projectors_of("kerneltest"))


@pytest.fixture
def sent(monkeypatch):
    """The projector runs sent to the broker (names), instead of sending them."""
    names: list[str] = []
    monkeypatch.setattr(projections, "_dispatch", names.append)
    return names


@pytest.fixture
def shared_cache(require_redis):
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": require_redis.rsplit("/", 1)[0] + "/9",
    }
    with override_settings(CACHES={"default": redis_cache}, PROJECTION_COALESCE=True):
        cache.clear()
        yield
        cache.clear()


def _commit(amount: int) -> Penghitung:
    counter = Penghitung.buat(pemilik="warga-antre", nama="Warga")
    counter.tambah(amount)
    with committed("kerneltest"):
        store.save(counter, META)
    return counter


def test_commits_while_a_run_is_queued_send_nothing_more(shared_cache, sent):
    first = _commit(1)
    _commit(2)
    _commit(3)

    assert sorted(sent) == KERNELTEST  # one run per projector for three commits

    for name in KERNELTEST:  # the worker takes the runs: each releases its claim first
        run_projector_task(name)
    _commit(4)

    assert sorted(sent) == sorted(KERNELTEST * 2)
    view = CounterView.objects.using("kerneltest_read").get(stream_id=first.id)
    assert view.value == 1  # the queued run read every commit made before it started


def test_a_commit_while_every_run_is_queued_claims_nothing_one_by_one(
    shared_cache, sent, monkeypatch
):
    _commit(1)
    claims = []
    real_claim = coalesce.claim
    monkeypatch.setattr(coalesce, "claim", lambda name: claims.append(name) or real_claim(name))

    _commit(2)

    # the fan-out's own claim (it ran at once here, eagerly); then one get_many found every
    # projector's run still queued: no claim per projector
    assert claims == ["fan-out:kerneltest"]
    assert sorted(sent) == KERNELTEST


def test_a_commit_sends_one_fan_out_and_commits_while_it_waits_send_nothing(
    shared_cache, sent, monkeypatch
):
    fanned_out: list[str] = []
    monkeypatch.setattr(projections, "_fan_out", fanned_out.append)  # queued, not run
    first = _commit(1)
    _commit(2)
    _commit(3)

    assert fanned_out == ["kerneltest"]  # one task for three commits and two projectors
    assert sent == []  # the projector runs are sent by the worker that takes the fan-out

    projections.dispatch_projectors("kerneltest")  # what the fan-out task does
    _commit(4)

    assert sorted(sent) == KERNELTEST
    assert fanned_out == ["kerneltest", "kerneltest"]  # it released its claim as it started
    for name in KERNELTEST:
        run_projector_task(name)
    assert CounterView.objects.using("kerneltest_read").get(stream_id=first.id).value == 1


def test_without_a_shared_cache_every_commit_sends_a_run(sent):
    _commit(1)
    _commit(2)

    assert sorted(sent) == sorted(KERNELTEST * 2)


def test_with_the_cache_down_every_commit_still_sends_a_run(sent, caplog):
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={"default": dead}, PROJECTION_COALESCE=True):
        _commit(1)
        _commit(2)

    assert sorted(sent) == sorted(KERNELTEST * 2)
    assert "cache unavailable" in caplog.text


def test_a_commit_on_a_feed_no_projector_reads_sends_nothing(sent, monkeypatch):
    fanned_out: list[str] = []
    monkeypatch.setattr(projections, "_fan_out", fanned_out.append)
    monkeypatch.setattr(projections, "_projectors", {})  # no projector reads any feed

    _commit(1)

    assert (fanned_out, sent) == ([], [])
