"""Tables of the izin context: the event store and subject keys (write alias ``izin``)."""

from egov.eventstore.models import StoredEvent, SubjectKey


class IzinEvent(StoredEvent):
    class Meta(StoredEvent.Meta):
        db_table = "izin_event"


class IzinSubjectKey(SubjectKey):
    class Meta(SubjectKey.Meta):
        db_table = "izin_subject_key"
