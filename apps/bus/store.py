"""The bus context's event store: the message log and the routed events."""

from apps.bus.domain import EVENTS
from apps.bus.models import BusEvent, BusSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(context="bus", event_model=BusEvent, key_model=BusSubjectKey, registry=registry)
