"""The audit context's event store (notifications are event-sourced here)."""

from apps.audit.models import AuditEvent, AuditSubjectKey
from apps.audit.notifikasi import EVENTS
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(
    context="audit", event_model=AuditEvent, key_model=AuditSubjectKey, registry=registry
)
