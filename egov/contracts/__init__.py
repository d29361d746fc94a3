"""Published event contracts: the only thing contexts share besides the kernel.

Each context that others react to declares the events it publishes in ``egov/contracts/<ctx>.py``
as versioned classes (``schema_version``); the producer's domain appends these very classes,
and consumers match and read them through this module, never through string literals or
copied payloads. What a consumer receives is the public shape: personal fields are removed
from other contexts' feeds (they read pseudonymous ids).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from egov.eventstore.domain import ERASED, DomainEvent

E = TypeVar("E", bound=DomainEvent)
_published: dict[str, type[DomainEvent]] = {}


def published(context: str):
    """Class decorator: record ``event_class`` as published by ``context``."""

    def register(event_class: type[E]) -> type[E]:
        _published[f"{context}.{event_class.event_type()}"] = event_class
        return event_class

    return register


def published_events() -> dict[str, type[DomainEvent]]:
    """``"<context>.<EventType>" -> class`` for every published event."""
    return dict(_published)


def public_shape(event_class: type[DomainEvent]) -> dict[str, str]:
    """What a consumer in another context receives: field -> type, without personal fields."""
    return {
        field.name: str(field.type)
        for field in dataclasses.fields(event_class)
        if field.name not in event_class.personal_fields
    }


def is_event(event: Any, contract: type[DomainEvent]) -> bool:
    """Is this recorded event (anything with ``event_type``) an instance of the contract?"""
    return event.event_type == contract.event_type()


def read(contract: type[E], event: Any) -> E:
    """The contract's object from a recorded event's payload; personal fields that were
    removed for this consumer read as erased."""
    payload = {name: ERASED for name in contract.personal_fields} | dict(event.payload)
    return contract.from_payload(payload)
