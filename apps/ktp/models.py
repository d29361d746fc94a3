"""Tables of the ktp context: the event store and subject keys (write alias ``ktp``)."""

from egov.eventstore.models import StoredEvent, SubjectKey


class KtpEvent(StoredEvent):
    class Meta(StoredEvent.Meta):
        db_table = "ktp_event"


class KtpSubjectKey(SubjectKey):
    class Meta(SubjectKey.Meta):
        db_table = "ktp_subject_key"
