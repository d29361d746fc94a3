"""Projector of the bus's own feed: ``bus.bukti`` keeps one proof row per message
(``BuktiPesan``): the log entry (``PesanDiterima``) makes it, each event the message caused
(its stream's later events) is added in order. Idempotent: an event already listed, or a
proof already made, is not added twice."""

from __future__ import annotations

from apps.bus.read_models import BuktiPesan
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent

LOG = "PesanDiterima"
STREAM_TYPE = "PesanBus"


class BuktiProjector(Projector):
    name = "bus.bukti"
    context = "bus"
    subscriptions = ("bus",)
    read_models = (BuktiPesan,)

    def handle(self, event: RecordedEvent) -> None:
        if event.stream_type != STREAM_TYPE:
            return
        rows = BuktiPesan.objects.using(self.alias)
        if event.event_type == LOG:
            p = event.payload
            rows.get_or_create(
                message_id=event.stream_id,
                defaults={
                    "header": p["header"],
                    "signature": p["signature"],
                    "kunci_publik": p["kunci_publik"],
                    "sidik_kunci": p["sidik_kunci"],
                    "diterima_pada": p["diterima_pada"],
                    "pintu": p["pintu"],
                    "log_event_id": event.event_id,
                    "log_posisi": event.position,
                    "log_dicatat_pada": event.recorded_at,
                },
            )
            return
        row = rows.filter(message_id=event.stream_id).first()
        if row is None:
            return  # the log entry comes first in its stream, so this is never reached
        if any(e["event_id"] == str(event.event_id) for e in row.peristiwa):
            return
        row.peristiwa = [
            *row.peristiwa,
            {"event_id": str(event.event_id), "event_type": event.event_type},
        ]
        row.save(using=self.alias, update_fields=["peristiwa"])
