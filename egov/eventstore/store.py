"""The event store of one context: append with optimistic concurrency, load a stream,
forget a data subject. Each context creates one ``EventStore`` and registers it in its
``AppConfig.ready()``; the kernel's feed and projectors find it by context name."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connections
from django.db.models import Max
from django.utils import timezone

from egov.db import atomic, on_commit
from egov.eventstore.crypto import PersonalDataCodec
from egov.eventstore.domain import Aggregate, DomainEvent, EventMetadata
from egov.eventstore.hooks import events_committed
from egov.eventstore.registry import EventRegistry
from egov.eventstore.subject_events import (
    DataPribadiDiakses,
    DataPribadiDihapus,
    KlaimNIKDiputuskan,
)


class ConcurrencyError(Exception):
    """Another writer appended to the stream first: reload and try again (API: 409)."""

    def __init__(self, stream_id: uuid.UUID, expected_version: int):
        super().__init__(f"stream {stream_id} is no longer at version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: its place in the context's feed plus payload and metadata."""

    context: str
    position: int
    event_id: uuid.UUID
    stream_id: uuid.UUID
    stream_type: str
    version: int
    event_type: str
    schema_version: int
    payload: dict[str, Any]
    metadata: dict[str, Any]
    subject_id: str
    recorded_at: datetime
    tx: int = 0
    event: DomainEvent | None = field(default=None, compare=False)

    @property
    def cursor(self) -> tuple[int, int]:
        return (self.tx, self.position)


@dataclass(frozen=True)
class PendingEvent:
    event: DomainEvent
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


_stores: dict[str, EventStore] = {}


def register_store(store: EventStore) -> EventStore:
    _stores[store.context] = store
    return store


def get_store(context: str) -> EventStore:
    return _stores[context]


def registered_contexts() -> list[str]:
    return sorted(_stores)


class EventStore:
    def __init__(
        self, *, context: str, event_model: type, key_model: type, registry: EventRegistry
    ):
        self.context = context
        self.alias = context
        self.event_model = event_model
        self.registry = registry
        registry.register(DataPribadiDihapus)
        registry.register(DataPribadiDiakses)
        registry.register(KlaimNIKDiputuskan)
        self.codec = PersonalDataCodec(key_model, context)

    # --- write side -------------------------------------------------------------------
    def append(
        self,
        *,
        stream_id: uuid.UUID,
        stream_type: str,
        expected_version: int,
        events: Sequence[DomainEvent | PendingEvent],
        metadata: EventMetadata,
    ) -> list[RecordedEvent]:
        """Append ``events`` at ``expected_version + 1...``; ConcurrencyError if the stream is
        no longer at ``expected_version``. Re-appending events whose ids are already stored is
        a no-op (a retried command) and returns ``[]``, never a duplicate."""
        if self.stream_version(stream_id) != expected_version:
            if self._is_retry(events):
                return []
            raise ConcurrencyError(stream_id, expected_version)
        return self._append_after(stream_id, stream_type, expected_version, events, metadata)

    def _is_retry(self, events) -> bool:
        ids = [e.event_id for e in events if isinstance(e, PendingEvent)]
        stored = self.event_model.objects.using(self.alias).filter(event_id__in=ids)
        return bool(ids) and len(ids) == len(events) and stored.count() == len(ids)

    def _append_after(self, stream_id, stream_type, version, events, metadata):
        """Insert without reading the stream first: the unique (stream, version) constraint
        refuses a writer whose version is stale. Callers must not pass a version *ahead* of
        the stream (``save`` cannot: its version comes from loading the stream).

        No transaction of its own: the INSERT is one statement, atomic by itself, and joins
        the caller's transaction when there is one (then an error dooms that transaction)."""
        pending = [e if isinstance(e, PendingEvent) else PendingEvent(e) for e in events]
        rows = [
            self._row(stream_id, stream_type, version + i + 1, p, metadata)
            for i, p in enumerate(pending)
        ]
        try:
            inserted = self._insert(rows)
        except IntegrityError:
            # A concurrent retry of these very events can lose on (stream, version) rather
            # than on event_id. Outside a transaction we can look; inside one, the caller's
            # retry will find the events stored and be a no-op.
            in_transaction = connections[self.alias].in_atomic_block
            if not in_transaction and self._is_retry(pending):
                return []
            raise ConcurrencyError(stream_id, version) from None
        if not inserted:
            return []  # every event id was already stored: a retry
        on_commit(self.alias, self._notify)
        return [self._recorded(row, p.event) for row, p in zip(rows, pending, strict=True)]

    def _insert(self, rows: list) -> bool:
        """One INSERT for all rows. A duplicate event id is skipped by the database (ON
        CONFLICT (event_id) DO NOTHING); a duplicate (stream, version) raises IntegrityError.
        Returns False when every row was a duplicate, sets each row's position otherwise."""
        connection = connections[self.alias]
        fields = [f for f in self.event_model._meta.concrete_fields if f.name != "position"]
        quote = connection.ops.quote_name
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (
            f"INSERT INTO {quote(self.event_model._meta.db_table)} "  # noqa: S608 - quoted names
            f"({', '.join(quote(f.column) for f in fields)}) VALUES "
            f"{', '.join([one_row] * len(rows))} "
            f"ON CONFLICT ({quote('event_id')}) DO NOTHING "
            f"RETURNING {quote('position')}, {quote('event_id')}"
        )
        params = [
            f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows for f in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        if len(returned) != len(rows):
            if returned:
                raise ValueError("some, not all, of these events were already stored")
            return False
        uuid_field = self.event_model._meta.get_field("event_id")
        positions = {str(uuid_field.to_python(event_id)): pos for pos, event_id in returned}
        for row in rows:
            row.position = positions[str(row.event_id)]
            row._state.adding = False
        return True

    def _row(self, stream_id, stream_type, version, pending: PendingEvent, metadata):
        event = pending.event
        subject = event.data_subject()
        payload = self.codec.encrypt(subject, event.to_payload(), event.personal_fields)
        return self.event_model(
            event_id=pending.event_id,
            stream_id=stream_id,
            stream_type=stream_type,
            version=version,
            event_type=event.event_type(),
            schema_version=event.schema_version,
            payload=payload,
            metadata=metadata.to_dict(),
            subject_id=subject,
            recorded_at=timezone.now(),
        )

    def _notify(self) -> None:
        events_committed(self.context)

    def stream_version(self, stream_id: uuid.UUID) -> int:
        rows = self.event_model.objects.using(self.alias).filter(stream_id=stream_id)
        return rows.aggregate(v=Max("version"))["v"] or 0

    # --- loading ----------------------------------------------------------------------
    def load(self, stream_id: uuid.UUID) -> list[RecordedEvent]:
        # Raw SQL: loading is on every command's path and the ORM's query compilation
        # costs as much as the round trip (see bench/append.py).
        connection = connections[self.alias]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT * FROM {quote(self.event_model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote('stream_id')} = %s ORDER BY {quote('version')}"
        )
        param = self.event_model._meta.get_field("stream_id").get_db_prep_value(
            stream_id, connection
        )
        rows = self.event_model.objects.using(self.alias).raw(sql, [param])
        return self.decode_rows(rows, decrypt=True)

    def decode_rows(self, rows, *, decrypt: bool, tx_of=lambda row: 0) -> list[RecordedEvent]:
        keys: dict[str, bytes | None] = {}
        recorded = []
        for row in rows:
            payload = self.registry.upcast(row.event_type, row.schema_version, row.payload)
            if decrypt:
                payload = self.codec.decrypt(row.subject_id, payload, keys)
            event = self._typed(row.event_type, payload) if decrypt else None
            recorded.append(self._recorded(row, event, payload=payload, tx=tx_of(row)))
        return recorded

    def _typed(self, event_type: str, payload: dict) -> DomainEvent | None:
        """The payload (already upcast to the current schema) as its event class."""
        if not self.registry.knows(event_type):
            return None
        return self.registry.event_class(event_type).from_payload(payload)

    def _recorded(self, row, event, *, payload=None, tx=0) -> RecordedEvent:
        return RecordedEvent(
            context=self.context,
            position=row.position,
            event_id=row.event_id,
            stream_id=row.stream_id,
            stream_type=row.stream_type,
            version=row.version,
            event_type=row.event_type,
            schema_version=row.schema_version,
            payload=row.payload if payload is None else payload,
            metadata=row.metadata,
            subject_id=row.subject_id,
            recorded_at=row.recorded_at,
            tx=tx,
            event=event,
        )

    # --- repository for aggregates ----------------------------------------------------
    def get(self, aggregate_class: type[Aggregate], aggregate_id: uuid.UUID) -> Aggregate:
        events = [r.event for r in self.load(aggregate_id)]
        return aggregate_class.rehydrate(aggregate_id, events)

    def save(self, aggregate: Aggregate, metadata: EventMetadata) -> list[RecordedEvent]:
        events = aggregate.collect()
        recorded = self._append_after(
            aggregate.id, aggregate.stream_type, aggregate.version, events, metadata
        )
        aggregate.version += len(events)
        return recorded

    # --- personal data (UU PDP) -------------------------------------------------------
    def forget_subject(self, subject_id: str, metadata: EventMetadata) -> RecordedEvent:
        """Erase a data subject: destroy their key and record ``DataPribadiDihapus`` so that
        projectors purge read rows. Events stay; their personal fields load as erased."""
        stream_id = uuid.uuid5(uuid.NAMESPACE_URL, f"egov:{self.context}:subject:{subject_id}")
        with atomic(self.alias):
            self.codec.destroy_key(subject_id)
            version = self.stream_version(stream_id)
            [recorded] = self.append(
                stream_id=stream_id,
                stream_type="SubjekData",
                expected_version=version,
                events=[DataPribadiDihapus(subject_id=subject_id, alasan=metadata.reason)],
                metadata=metadata,
            )
        return recorded

    def record_access(
        self, *, subject_id: str, door: str, purpose: str, metadata: EventMetadata
    ) -> RecordedEvent:
        """Record that ``metadata.actor`` viewed ``subject_id``'s personal data through
        ``door`` ("admin" or "api"). One stream per access, so readers never contend."""
        event = DataPribadiDiakses(
            subject_id=subject_id, pintu=door, tujuan=purpose, pengakses=metadata.actor
        )
        [recorded] = self.append(
            stream_id=uuid.uuid4(),
            stream_type="AksesData",
            expected_version=0,
            events=[event],
            metadata=metadata,
        )
        return recorded
