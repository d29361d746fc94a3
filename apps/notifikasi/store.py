"""The notifikasi context's event store."""

from apps.notifikasi.domain import EVENTS
from apps.notifikasi.models import NotifikasiEvent, NotifikasiSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(
    context="notifikasi",
    event_model=NotifikasiEvent,
    key_model=NotifikasiSubjectKey,
    registry=registry,
)
