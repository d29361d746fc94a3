"""Event types of one context, and upcasters that load old schema versions as the current shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from egov.eventstore.domain import DomainEvent

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownEventType(LookupError):
    pass


class EventRegistry:
    def __init__(self, event_classes: Iterable[type[DomainEvent]] = ()):
        self._classes: dict[str, type[DomainEvent]] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}
        for event_class in event_classes:
            self.register(event_class)

    def register(self, event_class: type[DomainEvent]) -> type[DomainEvent]:
        self._classes[event_class.event_type()] = event_class
        return event_class

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Decorator: ``fn(payload_at_from_version) -> payload_at_from_version_plus_one``."""

        def decorate(fn: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = fn
            return fn

        return decorate

    def event_class(self, event_type: str) -> type[DomainEvent]:
        try:
            return self._classes[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def knows(self, event_type: str) -> bool:
        return event_type in self._classes

    def personal_fields(self, event_type: str) -> tuple[str, ...]:
        event_class = self._classes.get(event_type)
        return event_class.personal_fields if event_class else ()

    def upcast(
        self, event_type: str, schema_version: int, payload: dict[str, Any]
    ) -> dict[str, Any]:
        current = (
            self.event_class(event_type).schema_version
            if self.knows(event_type)
            else schema_version
        )
        while schema_version < current:
            payload = self._upcasters[(event_type, schema_version)](dict(payload))
            schema_version += 1
        return payload
