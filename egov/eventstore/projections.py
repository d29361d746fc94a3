"""Projectors turn feeds into read tables, exactly once.

A projector keeps one checkpoint per feed in its own read database and moves it in the same
transaction as the rows it writes, so a crash or a redelivered task never applies an event
twice. The checkpoint row is locked (``SELECT ... FOR UPDATE``) for the batch: two workers
running the same projector take turns and the second starts where the first stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from kombu.exceptions import OperationalError as KombuOperationalError

from egov.databases import read_alias
from egov.db import atomic, broker_outage, note_broker_unreachable
from egov.eventstore import batch_rows, coalesce, feed
from egov.eventstore.domain import EventMetadata
from egov.eventstore.models import Checkpoint
from egov.eventstore.store import RecordedEvent

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A rebuild replays the whole store: larger batches amortise each batch's transaction,
# feed query and bulk writes; memory stays bounded by one batch (bench/ktp_rebuild.py).
REBUILD_BATCH_SIZE = 5_000
FAN_OUT_TASK = "eventstore.dispatch_projectors"  # egov.eventstore.tasks; routed by egov.queues


class Projector:
    """Subclass, set ``name``, ``context`` (whose read alias holds the rows), ``subscriptions``
    (the feeds it reads; its own context's feed arrives decrypted) and ``read_models`` (the
    tables a rebuild empties), and implement ``handle``. ``handle`` must be idempotent."""

    name: str = ""
    context: str = ""
    subscriptions: tuple[str, ...] = ()
    read_models: tuple[type, ...] = ()
    # False for a projection that must never be emptied (the audit trail): a new, empty
    # database backfills it from the first event instead.
    rebuildable: bool = True
    # Its own context's events it needs decrypted (None: all of them); the others arrive
    # without personal fields, so a rebuild unwraps no key and opens no field for them.
    decrypts: frozenset[str] | None = None
    # False for a projector that reads payloads only, never ``event.event`` (saves building
    # an event object per event).
    typed_events: bool = True

    @property
    def alias(self) -> str:
        return read_alias(self.context)

    def handle(self, event: RecordedEvent) -> None:
        raise NotImplementedError

    def handle_batch(self, events: list[RecordedEvent]) -> None:
        """Apply one batch, inside the checkpoint's transaction. Override to read and write
        the batch's rows together (bulk reads and upserts) instead of event by event."""
        for event in events:
            self.handle(event)

    def reaction_metadata(self, event: RecordedEvent) -> EventMetadata:
        """Who, when, why of what a policy appends in reaction to ``event``: caused by it, in
        its correlation, acted by this projector."""
        base = EventMetadata.from_dict({"actor": self.name, "source": "policy", **event.metadata})
        return base.caused_by(event.event_id, actor=self.name, source="policy")

    def reset(self) -> None:
        """Empty the read tables (before a rebuild). Override if rows are shared."""
        for model in self.read_models:
            model.objects.using(self.alias).all().delete()


_projectors: dict[str, Projector] = {}


def register_projector(projector: Projector) -> Projector:
    _projectors[projector.name] = projector
    return projector


def get_projector(name: str) -> Projector:
    return _projectors[name]


def all_projectors() -> list[Projector]:
    return [_projectors[name] for name in sorted(_projectors)]


def projectors_of(context: str) -> list[Projector]:
    return [p for p in all_projectors() if context in p.subscriptions]


def _checkpoint(projector: Projector, feed_name: str, *, lock: bool) -> Checkpoint:
    """The projector's checkpoint on one feed (locked for the batch with ``lock``): one
    statement once it exists, as it does after the first run (every run asks for it)."""
    rows = Checkpoint.objects.using(projector.alias)
    if lock:
        rows = rows.select_for_update()
    try:
        return rows.get(projector=projector.name, feed=feed_name)
    except Checkpoint.DoesNotExist:
        Checkpoint.objects.using(projector.alias).get_or_create(
            projector=projector.name, feed=feed_name
        )
        return rows.get(projector=projector.name, feed=feed_name)


def _decrypt(projector: Projector, feed_name: str) -> bool | frozenset[str]:
    if feed_name != projector.context:
        return False  # another context's events: never its personal fields
    return True if projector.decrypts is None else projector.decrypts


def project_batch(projector: Projector, feed_name: str, *, limit: int = BATCH_SIZE) -> int:
    """Apply the next batch of one feed; returns how many events were applied."""
    with atomic(projector.alias):
        checkpoint = _checkpoint(projector, feed_name, lock=True)
        events = feed.read_feed(
            feed_name,
            after=(checkpoint.tx, checkpoint.position),
            limit=limit,
            decrypt=_decrypt(projector, feed_name),
            typed=projector.typed_events,
        )
        projector.handle_batch(events)
        if events:
            checkpoint.tx, checkpoint.position = events[-1].cursor
            checkpoint.save(update_fields=["tx", "position", "updated_at"])
    return len(events)


def run_projector(
    projector: Projector, *, limit: int = BATCH_SIZE, progress: Callable[[int], None] | None = None
) -> int:
    """Catch the projector up with every feed it reads."""
    applied = 0
    for feed_name in projector.subscriptions:
        while True:
            count = project_batch(projector, feed_name, limit=limit)
            applied += count
            if progress and count:
                progress(count)
            if count < limit:
                break
    return applied


def rebuild(
    projector: Projector,
    *,
    progress: Callable[[int], None] | None = None,
    limit: int = REBUILD_BATCH_SIZE,
) -> int:
    """Disaster recovery: empty the projector's tables and checkpoints, replay from the start."""
    with atomic(projector.alias):
        projector.reset()
        Checkpoint.objects.using(projector.alias).filter(projector=projector.name).delete()
    with batch_rows.into_emptied_tables():
        return run_projector(projector, limit=limit, progress=progress)


def held_back(projector: Projector) -> bool:
    """Are events committed past the checkpoint that the feed did not return (their
    transaction was newer than the oldest one still open on the server when it read)?"""
    for feed_name in projector.subscriptions:
        checkpoint = _checkpoint(projector, feed_name, lock=False)
        if feed.any_after(feed_name, (checkpoint.tx, checkpoint.position)):
            return True
    return False


def lag(projector: Projector) -> list[dict]:
    report = []
    for feed_name in projector.subscriptions:
        checkpoint = _checkpoint(projector, feed_name, lock=False)
        cursor = (checkpoint.tx, checkpoint.position)
        report.append(
            {
                "projector": projector.name,
                "feed": feed_name,
                "checkpoint": checkpoint.position,
                "head": feed.total(feed_name),
                "lag": feed.count_after(feed_name, cursor),
            }
        )
    return report


# How work reaches a worker, set at start-up to Celery tasks' ``delay`` (egov.eventstore.apps),
# so this module never imports the tasks module that imports it: ``_dispatch`` runs one
# projector; ``_fan_out`` asks a worker to dispatch every projector reading one feed, so a
# commit pays one cache claim and at most one publish however many projectors read it (one
# per projector cost a third of a command's CPU: bench/api_throughput.py). Unset: run here.
_dispatch: Callable[[str], object] | None = None
_fan_out: Callable[[str], object] | None = None


def set_dispatcher(
    dispatch: Callable[[str], object] | None, fan_out: Callable[[str], object] | None = None
) -> None:
    global _dispatch, _fan_out
    _dispatch, _fan_out = dispatch, fan_out


def dispatchers() -> tuple:
    """What ``set_dispatcher`` was given, to put back after a change."""
    return _dispatch, _fan_out


def fan_out_claim(context: str) -> str:
    return f"fan-out:{context}"


def schedule_projectors(context: str) -> None:
    """After a commit on ``context``: ask a worker to run every projector that reads it.

    When the broker is down, run them here instead, so the citizen who just submitted reads
    their own request at once (read-your-writes); the beat sweep catches up the rest."""
    if not projectors_of(context):
        return  # nothing reads this feed: no task to send, nothing to run
    if _dispatch is None or broker_outage() or not _send(context):
        _run_all_in_process(context)


def _send(context: str) -> bool:
    """One fan-out task (or, without one, the runs themselves); False: broker unreachable."""
    return _send_fan_out(context) if _fan_out is not None else _send_runs(context)


def dispatch_projectors(context: str) -> None:
    """A worker's half of the fan-out: send a run of each projector reading ``context`` that
    has none queued yet (a queued run reads the new events anyway)."""
    coalesce.release(fan_out_claim(context))  # first: a commit from now on asks again
    if _dispatch is None or not _send_runs(context):
        _run_all_in_process(context)


def _send_runs(context: str) -> bool:
    """A run of each projector reading ``context`` with none queued yet; False when the
    broker is unreachable."""
    names = [projector.name for projector in projectors_of(context)]
    return _dispatch_each(coalesce.claim_each(names))


def _run_all_in_process(context: str) -> None:
    for projector in projectors_of(context):
        run_in_process(projector)


def _send_fan_out(context: str) -> bool:
    """False when the broker is unreachable (the caller then runs the projectors here)."""
    claim = fan_out_claim(context)
    if not coalesce.claim(claim):
        return True  # a fan-out is queued and has not started: it will see these events
    try:
        _fan_out(context)
    except KombuOperationalError as exc:
        coalesce.release(claim)
        note_broker_unreachable(exc)
        return False
    except Exception:  # not the broker's absence: a bug to see; the sweep catches up
        coalesce.release(claim)
        logger.exception("could not schedule the projectors of %s", context)
    return True


def _dispatch_each(names: list[str]) -> bool:
    """Send a run of each claimed projector; False when the broker turned out unreachable
    (the claims not sent are released, and the caller runs every projector here)."""
    for index, name in enumerate(names):
        try:
            _dispatch(name)
        except KombuOperationalError as exc:
            note_broker_unreachable(exc)
            for unsent in names[index:]:
                coalesce.release(unsent)
            return False
        except Exception:  # not the broker's absence: a bug to see; the sweep catches up
            coalesce.release(name)
            logger.exception("could not schedule projector %s", name)
    return True


@contextmanager
def run_at_end(context: str) -> Iterator[None]:
    """Send no projector run to a worker while the block writes (a bulk load such as a
    context's demo data); run ``context``'s projectors once when it ends."""
    previous = dispatchers()
    set_dispatcher(lambda _name: None)
    try:
        yield
    finally:
        set_dispatcher(*previous)
    for projector in projectors_of(context):
        run_projector(projector)


def run_in_process(projector: Projector) -> None:
    try:
        run_projector(projector)
    except Exception:  # the command has committed: its answer stands; the sweep retries
        logger.exception("projector %s failed in-process", projector.name)
