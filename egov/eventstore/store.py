"""The event store of one context: append with optimistic concurrency, load a stream,
forget a data subject. Each context creates one ``EventStore`` and registers it in its
``AppConfig.ready()``; the kernel's feed and projectors find it by context name."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError
from django.db.models import Max
from django.utils import timezone

from egov.db import atomic, on_commit
from egov.eventstore.crypto import PersonalDataCodec
from egov.eventstore.domain import Aggregate, DomainEvent, EventMetadata
from egov.eventstore.registry import EventRegistry
from egov.eventstore.subject_events import DataPribadiDiakses, DataPribadiDihapus


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
        """Append ``events`` at ``expected_version + 1...``. Re-appending events whose ids are
        already stored is a no-op (a retried command), never a duplicate."""
        pending = [e if isinstance(e, PendingEvent) else PendingEvent(e) for e in events]
        with atomic(self.alias):
            if self._already_stored(pending):
                return []
            current = self.stream_version(stream_id)
            if current != expected_version:
                raise ConcurrencyError(stream_id, expected_version)
            rows = [
                self._row(stream_id, stream_type, expected_version + i + 1, p, metadata)
                for i, p in enumerate(pending)
            ]
            try:
                with atomic(self.alias):  # savepoint: the unique (stream, version) backstop
                    self.event_model.objects.using(self.alias).bulk_create(rows)
            except IntegrityError:
                if self._already_stored(pending):
                    return []
                raise ConcurrencyError(stream_id, expected_version) from None
            on_commit(self.alias, self._notify)
        return [self._recorded(row, p.event) for row, p in zip(rows, pending, strict=True)]

    def _already_stored(self, pending: list[PendingEvent]) -> bool:
        ids = [p.event_id for p in pending]
        stored = self.event_model.objects.using(self.alias).filter(event_id__in=ids).count()
        if stored and stored != len(ids):
            raise ValueError("some, not all, of these events are already stored")
        return stored == len(ids)

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
        from egov.eventstore.projections import schedule_projectors

        schedule_projectors(self.context)

    def stream_version(self, stream_id: uuid.UUID) -> int:
        rows = self.event_model.objects.using(self.alias).filter(stream_id=stream_id)
        return rows.aggregate(v=Max("version"))["v"] or 0

    # --- loading ----------------------------------------------------------------------
    def load(self, stream_id: uuid.UUID) -> list[RecordedEvent]:
        rows = self.event_model.objects.using(self.alias).filter(stream_id=stream_id)
        return self.decode_rows(rows.order_by("version"), decrypt=True)

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
        recorded = self.append(
            stream_id=aggregate.id,
            stream_type=aggregate.stream_type,
            expected_version=aggregate.version,
            events=events,
            metadata=metadata,
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
