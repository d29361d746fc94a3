from django.db import models

from egov.eventstore.models import ReadModel, StoredEvent, SubjectKey


class KernelEvent(StoredEvent):
    class Meta(StoredEvent.Meta):
        db_table = "kerneltest_event"


class KernelSubjectKey(SubjectKey):
    class Meta(SubjectKey.Meta):
        db_table = "kerneltest_subject_key"


class CounterView(ReadModel):
    """One row per counter stream: its value, owner's name (personal) and last version."""

    stream_id = models.UUIDField(primary_key=True)
    value = models.IntegerField(default=0)
    owner = models.CharField(max_length=64, blank=True, default="")
    owner_name = models.CharField(max_length=100, blank=True, default="")
    last_version = models.PositiveIntegerField(default=0)


class SeenEvent(ReadModel):
    """Every event the projector applied, in the order applied (for exactly-once tests)."""

    order = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(unique=True)
    position = models.BigIntegerField()
