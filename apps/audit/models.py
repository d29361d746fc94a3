"""Tables of the audit context: the event store and subject keys (write alias ``audit``)."""

from egov.eventstore.models import StoredEvent, SubjectKey


class AuditEvent(StoredEvent):
    class Meta(StoredEvent.Meta):
        db_table = "audit_event"


class AuditSubjectKey(SubjectKey):
    class Meta(SubjectKey.Meta):
        db_table = "audit_subject_key"
