"""Tables of the pajak context: the event store and subject keys (write alias ``pajak``)."""

from egov.eventstore.models import StoredEvent, SubjectKey


class PajakEvent(StoredEvent):
    class Meta(StoredEvent.Meta):
        db_table = "pajak_event"


class PajakSubjectKey(SubjectKey):
    class Meta(SubjectKey.Meta):
        db_table = "pajak_subject_key"
