"""The pajak context's event store."""

from apps.pajak.domain import EVENTS
from apps.pajak.models import PajakEvent, PajakSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(
    context="pajak", event_model=PajakEvent, key_model=PajakSubjectKey, registry=registry
)
