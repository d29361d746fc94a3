"""Tables of the bansos context: the event store and subject keys (write alias ``bansos``)."""

from egov.eventstore.models import StoredEvent, SubjectKey


class BansosEvent(StoredEvent):
    class Meta(StoredEvent.Meta):
        db_table = "bansos_event"


class BansosSubjectKey(SubjectKey):
    class Meta(SubjectKey.Meta):
        db_table = "bansos_subject_key"
