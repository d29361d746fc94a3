"""The audit context's event store. It still holds the notification events recorded before
notifications became their own context (append-only: they stay; ``pindah_notifikasi`` copied
them to the notifikasi store). No class here loads them: they are never replayed here."""

from apps.audit.models import AuditEvent, AuditSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry()
store = EventStore(
    context="audit", event_model=AuditEvent, key_model=AuditSubjectKey, registry=registry
)
