"""The izin context's event store."""

from apps.izin.domain.events import EVENTS
from apps.izin.models import IzinEvent, IzinSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(
    context="izin", event_model=IzinEvent, key_model=IzinSubjectKey, registry=registry
)
