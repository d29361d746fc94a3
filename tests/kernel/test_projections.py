"""Projectors: checkpoints, idempotency, rebuild and lag reports."""

import io

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext

from egov.eventstore import feed, projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.models import Checkpoint
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView, KernelEvent, SeenEvent
from tests.kerneltest.store import store
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
META = EventMetadata(actor="t", source="test")
NAME = "kerneltest.counters"


def _counters(*amounts: int) -> list[Penghitung]:
    made = []
    for i, amount in enumerate(amounts):
        counter = Penghitung.buat(pemilik=f"warga-{i}", nama=f"Warga {i}")
        counter.tambah(amount)
        store.save(counter, META)
        made.append(counter)
    return made


def _views() -> list[tuple]:
    rows = CounterView.objects.using("kerneltest_read").order_by("owner")
    return list(rows.values_list("stream_id", "value", "owner", "owner_name", "last_version"))


def test_projection_runs_on_commit_and_moves_its_checkpoint():
    with committed("kerneltest"):
        [counter] = _counters(4)

    checkpoint = Checkpoint.objects.using("kerneltest_read").get(projector=NAME)
    assert _views() == [(counter.id, 4, "warga-0", "Warga 0", 2)]
    last = KernelEvent.objects.using("kerneltest").latest("position").position
    assert (checkpoint.feed, checkpoint.position) == ("kerneltest", last)


def test_delivering_an_event_twice_changes_nothing():
    _counters(4)
    projector = projections.get_projector(NAME)
    projections.run_projector(projector)
    before = _views()

    for event in feed.read_feed("kerneltest", decrypt=True):
        projector.handle(event)  # redelivery, e.g. after a crash before the ack

    assert _views() == before
    assert SeenEvent.objects.using("kerneltest_read").count() == 2


def test_a_second_run_with_nothing_new_applies_nothing():
    _counters(1, 2)
    projector = projections.get_projector(NAME)

    assert projections.run_projector(projector) == 4
    assert projections.run_projector(projector) == 0


def test_a_run_reads_its_checkpoint_in_one_statement_once_it_exists():
    _counters(1)
    projector = projections.get_projector(NAME)
    projections.run_projector(projector)  # the first run creates it

    with CaptureQueriesContext(connections["kerneltest_read"]) as queries:
        assert projections.run_projector(projector) == 0

    assert [q["sql"].count("eventstore_checkpoint") > 0 for q in queries].count(True) == 1


def test_rebuild_after_losing_the_read_database_gives_the_same_rows():
    _counters(1, 2, 3)
    projector = projections.get_projector(NAME)
    projections.run_projector(projector)
    live = _views()
    # Disaster: the read database is wiped (rows and checkpoints).
    CounterView.objects.using("kerneltest_read").all().delete()
    SeenEvent.objects.using("kerneltest_read").all().delete()
    Checkpoint.objects.using("kerneltest_read").all().delete()

    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_projections", NAME, stdout=out, stderr=err)

    assert _views() == live
    assert f"{NAME}: 6 events replayed" in out.getvalue()
    assert "6/6" in err.getvalue()  # the progress bar reached the end


def test_a_consumer_is_told_whether_anything_is_left_after_its_cursor():
    assert not feed.any_after("kerneltest", feed.START)
    _counters(1)
    [first, last] = feed.read_feed("kerneltest")

    assert feed.any_after("kerneltest", feed.START)
    assert feed.any_after("kerneltest", first.cursor)
    assert not feed.any_after("kerneltest", last.cursor)
    assert feed.count_after("kerneltest", first.cursor) == 1


def test_projections_command_reports_checkpoint_head_and_lag():
    _counters(1)
    projections.run_projector(projections.get_projector(NAME))
    projected = KernelEvent.objects.using("kerneltest").latest("position").position
    _counters(5)  # two more events, not projected yet

    out = io.StringIO()
    call_command("projections", stdout=out)

    line = next(x for x in out.getvalue().splitlines() if x.startswith(NAME))
    assert line.split() == [NAME, "kerneltest", str(projected), "4", "2"]


def test_unknown_projector_name_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown projector 'nope'"):
        call_command("rebuild_projections", "nope")


def test_the_periodic_sweep_catches_up_after_a_lost_message():
    from egov.eventstore.tasks import sweep_projections

    [counter] = _counters(7)  # on-commit callbacks never run here: the message is "lost"
    assert _views() == []

    applied = sweep_projections.apply().get()

    assert applied == 4  # kerneltest.counters and audit.jejak each apply the two events
    assert _views() == [(counter.id, 7, "warga-0", "Warga 0", 2)]


def test_the_beat_schedule_runs_the_sweep():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["projections-sweep"]["task"] == (
        "eventstore.sweep_projections"
    )
