"""Events of the bansos context (Kemensos). Fields are the payload."""

from __future__ import annotations

from egov.eventstore.domain import DomainEvent

EVENTS: tuple[type[DomainEvent], ...] = ()
