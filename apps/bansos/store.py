"""The bansos context's event store, with one addition: new streams appended many at a time
(a payment round's instructions)."""

from collections.abc import Sequence
from functools import partial

from django.db import IntegrityError
from django.utils import timezone

from apps.bansos.domain import EVENTS
from apps.bansos.models import BansosEvent, BansosSubjectKey
from egov.db import on_commit
from egov.eventstore.domain import Aggregate, EventMetadata
from egov.eventstore.hooks import events_appended, events_committed
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import ConcurrencyError, EventStore, PendingEvent

BARIS_PER_INSERT = 500  # 10 parameters a row: within SQLite's and PostgreSQL's bounds


class BansosEventStore(EventStore):
    def save_many(self, aggregates: Sequence[Aggregate], metadata: EventMetadata) -> int:
        """Append the pending events of many aggregates (each at its own version, as
        ``save``), a few hundred rows per INSERT, and announce the commit once: a round's
        batch of 5,000 new instructions is ten statements, not 5,000 appends each scheduling
        the projectors. A stream no longer at its aggregate's version fails the whole call
        (``ConcurrencyError``: the unique (stream, version) constraint refuses it); call it
        inside a transaction. Returns how many events were appended.

        The kernel's ``EventStore`` has no multi-stream append yet; this uses its row
        encoding and INSERT (``_row``, ``_insert``) so encryption and columns stay the
        kernel's, and tells the same listeners as ``save`` (projectors, the appended-events
        metric). To move into ``egov/eventstore/store.py``."""
        now = timezone.now()
        meta = metadata.to_dict()
        rows = []
        for aggregate in aggregates:
            events = aggregate.collect()
            rows += [
                self._row(aggregate.id, aggregate.stream_type, v, PendingEvent(e), meta, now)
                for v, e in enumerate(events, start=aggregate.version + 1)
            ]
            aggregate.version += len(events)
        for start in range(0, len(rows), BARIS_PER_INSERT):
            bagian = rows[start : start + BARIS_PER_INSERT]
            try:
                self._insert(bagian)
            except IntegrityError:
                _, stream_id, _, version, *_ = bagian[0]
                raise ConcurrencyError(stream_id, version - 1) from None
        if rows:
            on_commit(self.alias, lambda: events_committed(self.context))
            on_commit(self.alias, partial(events_appended, self.context, len(rows)))
        return len(rows)


registry = EventRegistry(EVENTS)


# Schema 2 records the acting officer's principal id for the four-eyes rules; older events
# knew only the display name, so the rule falls back to comparing names for them.
@registry.upcaster("UsulanPenerimaDiajukan", 1)
def _diajukan_oleh_id(payload: dict) -> dict:
    return {**payload, "diajukan_oleh_id": ""}


@registry.upcaster("SiklusPenyaluranDibuat", 1)
def _dibuat_oleh_id(payload: dict) -> dict:
    return {**payload, "dibuat_oleh_id": ""}


store = BansosEventStore(
    context="bansos", event_model=BansosEvent, key_model=BansosSubjectKey, registry=registry
)
