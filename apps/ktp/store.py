"""The ktp context's event store."""

from apps.ktp.domain import EVENTS
from apps.ktp.models import KtpEvent, KtpSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)
store = EventStore(context="ktp", event_model=KtpEvent, key_model=KtpSubjectKey, registry=registry)
