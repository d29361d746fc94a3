"""The bansos context's event store."""

from apps.bansos.domain import EVENTS
from apps.bansos.models import BansosEvent, BansosSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(
    context="bansos", event_model=BansosEvent, key_model=BansosSubjectKey, registry=registry
)
