"""Event-sourcing building blocks in plain Python (no Django): events, metadata, aggregates.

Rule (from the ``eventsourcing`` library): command methods check the rules and compute every
value once; ``apply`` only assigns. Replaying history never re-runs a check or reads a clock.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, ClassVar, get_type_hints


class Erased(str):
    """Value of a personal field whose data subject's key was destroyed (crypto-shredded).

    A ``str`` so that code reading an old event keeps working; test with ``is_erased``."""

    __slots__ = ()


ERASED = Erased("[dihapus]")


def is_erased(value: object) -> bool:
    return isinstance(value, Erased)


@dataclass(frozen=True)
class DomainEvent:
    """Base of every domain event. Subclasses are frozen dataclasses whose fields are the payload.

    Class attributes a subclass may set:
    - ``schema_version``: bump it when the payload shape changes, and register an upcaster;
    - ``personal_fields``: payload fields holding personal data (encrypted at rest);
    - ``subject_field``: the payload field naming whose personal data it is (a pseudonymous id).
    """

    schema_version: ClassVar[int] = 1
    personal_fields: ClassVar[tuple[str, ...]] = ()
    subject_field: ClassVar[str | None] = None

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__

    def data_subject(self) -> str:
        return str(getattr(self, self.subject_field)) if self.subject_field else ""

    def to_payload(self) -> dict[str, Any]:
        return {f.name: _to_json(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> DomainEvent:
        hints = _field_types(cls)
        values = {k: _from_json(hints[k], v) for k, v in payload.items() if k in hints}
        return cls(**values)


@cache
def _field_types(event_class: type) -> dict[str, Any]:
    """Payload field -> annotated type, resolved once per class (replay reads many events)."""
    hints = get_type_hints(event_class)
    return {f.name: hints.get(f.name) for f in dataclasses.fields(event_class)}


def _to_json(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


def _from_json(hint: Any, value: Any) -> Any:
    if value is None or is_erased(value):
        return value
    converters = {
        datetime: datetime.fromisoformat,
        date: date.fromisoformat,
        uuid.UUID: uuid.UUID,
        Decimal: Decimal,
    }
    for kind, convert in converters.items():
        if hint is kind or (isinstance(hint, type) and issubclass(hint, kind)):
            return convert(value)
        if kind in getattr(hint, "__args__", ()):  # Optional[...] / X | None
            return convert(value)
    if isinstance(value, list) and getattr(hint, "__origin__", None) is tuple:
        return tuple(value)
    return value


@dataclass(frozen=True)
class EventMetadata:
    """Who, when, why: carried by every event (actor, correlation, causation)."""

    actor: str
    source: str
    correlation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    causation_id: str = ""
    officer_id: str = ""
    request_id: str = ""
    reason: str = ""
    principal_id: str = ""  # "user:12", "client:..": access is decided by id, never by name
    office: str = ""  # the acting officer's office (region code prefix; "" = national)

    def to_dict(self) -> dict[str, str]:
        # Every field is a string: a shallow copy (``asdict`` deep-copies, on every append).
        return {name: getattr(self, name) for name in _METADATA_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EventMetadata:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def caused_by(
        self, event_id: uuid.UUID | str, *, actor: str = "", source: str = ""
    ) -> EventMetadata:
        """Metadata for a reaction to an event: same correlation, causation = that event."""
        return dataclasses.replace(
            self,
            causation_id=str(event_id),
            actor=actor or self.actor,
            source=source or self.source,
        )


_METADATA_FIELDS = tuple(f.name for f in dataclasses.fields(EventMetadata))


class DomainError(Exception):
    """A command was refused by a business rule. ``code`` is stable; ``message`` is for people."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidInput(DomainError):
    """The command's input breaks a rule (API: 400, with the message)."""

    code = "invalid_input"


class InvalidState(DomainError):
    """The aggregate's state does not allow the command now (API: 409)."""

    code = "invalid_state"


class Aggregate:
    """State rebuilt from events. A subclass defines ``apply_<EventType>(self, event)`` for each
    event type it knows (assignments only) and records new events with ``self._record(event)``."""

    stream_type: ClassVar[str] = ""

    def __init__(self, aggregate_id: uuid.UUID):
        self.id = aggregate_id
        self.version = 0
        self.pending: list[DomainEvent] = []

    @classmethod
    def rehydrate(cls, aggregate_id: uuid.UUID, events: list[DomainEvent]) -> Aggregate:
        aggregate = cls(aggregate_id)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)

    def apply(self, event: DomainEvent) -> None:
        applier = getattr(self, f"apply_{event.event_type()}", None)
        if applier is None:
            raise NotImplementedError(f"{type(self).__name__} cannot apply {event.event_type()}")
        applier(event)

    def _record(self, event: DomainEvent) -> None:
        self.apply(event)
        self.pending.append(event)

    def collect(self) -> list[DomainEvent]:
        events, self.pending = self.pending, []
        return events
