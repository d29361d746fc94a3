"""Tables of the notifikasi context.

Write alias ``notifikasi``: its event store (the notifications, event-sourced), subject keys
and idempotency records. Read alias ``notifikasi_read``: the notifications as officers and
citizens see them, and whose request each ktp/izin stream is (the policy needs it).
"""

from django.db import models

from egov.eventstore.models import ReadModel, event_store_models

NotifikasiEvent, NotifikasiSubjectKey, NotifikasiIdempotencyRecord = event_store_models(
    __name__, "notifikasi", prefix="Notifikasi"
)


# --- read side (notifikasi_read) -----------------------------------------------------------
class PemilikPermohonan(ReadModel):
    """Whose request a stream is (from KTPDibuat / PermohonanIzinDibuat): later events of the
    stream (a permit decision) name no citizen, the notification needs one."""

    stream_id = models.UUIDField(primary_key=True)
    subject_id = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.stream_id)


class NotifikasiView(ReadModel):
    notifikasi_id = models.UUIDField(primary_key=True)
    subject_id = models.CharField(max_length=64, db_index=True)
    jenis = models.CharField(max_length=100)
    kanal = models.CharField(max_length=20)
    status = models.CharField(max_length=20, db_index=True)
    percobaan = models.PositiveIntegerField(default=0)
    galat = models.CharField(max_length=500, blank=True, default="")
    permanen = models.BooleanField(default=False)
    dibuat_pada = models.DateTimeField()
    diperbarui_pada = models.DateTimeField()
    last_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-dibuat_pada"]
        verbose_name = verbose_name_plural = "notifikasi"

    def __str__(self) -> str:
        return f"{self.jenis} {self.status}"
