"""Read side of the bus (``bus_read``): the proof of delivery of each message, projected
from the message log by ``bus.bukti`` (projections.py), so the proof endpoint reads no
write table."""

from django.db import models

from egov.eventstore.models import ReadModel


class BuktiPesan(ReadModel):
    """What a third party needs to check, offline, that an agency sent a message and egov
    logged it: the signed header, the signature, the key it verified with, the arrival, the
    log entry and the events it caused. No payload, no personal data."""

    message_id = models.UUIDField(primary_key=True)
    header = models.JSONField()
    signature = models.TextField()
    kunci_publik = models.TextField()
    sidik_kunci = models.CharField(max_length=64)
    diterima_pada = models.CharField(max_length=40)
    pintu = models.CharField(max_length=10)
    log_event_id = models.UUIDField()
    log_posisi = models.BigIntegerField()
    log_dicatat_pada = models.DateTimeField()
    peristiwa = models.JSONField(default=list)  # [{"event_id", "event_type"}] in stream order

    def __str__(self) -> str:
        return str(self.message_id)
