"""The read side of notifications: one row per notification, its latest status."""

from __future__ import annotations

from apps.notifikasi.domain import Notifikasi
from apps.notifikasi.models import NotifikasiView
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent


class NotifikasiStatusProjector(Projector):
    name = "notifikasi.status"
    context = "notifikasi"
    subscriptions = ("notifikasi",)
    read_models = (NotifikasiView,)

    def handle(self, event: RecordedEvent) -> None:
        if event.stream_type != Notifikasi.stream_type:
            return
        rows = NotifikasiView.objects.using(self.alias)
        row = rows.filter(notifikasi_id=event.stream_id).first()
        if row is not None and event.version <= row.last_version:
            return
        p = event.payload
        if row is None:
            row = NotifikasiView(
                notifikasi_id=event.stream_id,
                subject_id=p["subject_id"],
                jenis=p["sumber_event_type"],
                kanal=p["kanal"],
                dibuat_pada=event.recorded_at,
            )
        row.status = p["status"]
        row.percobaan = p.get("percobaan", row.percobaan)
        row.galat = p.get("alasan", "") if event.event_type == "NotifikasiGagal" else row.galat
        row.permanen = bool(p.get("permanen", False))
        row.diperbarui_pada, row.last_version = event.recorded_at, event.version
        row.save(using=self.alias)
