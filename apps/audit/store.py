"""The audit context's event store."""

from apps.audit.models import AuditEvent, AuditSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry()
store = EventStore(
    context="audit", event_model=AuditEvent, key_model=AuditSubjectKey, registry=registry
)
