"""Reactions of the notification service to other contexts' events, and its read side."""

from __future__ import annotations

from apps.audit import commands
from apps.audit.models import NotifikasiView, PemilikPermohonan
from apps.audit.notifikasi import PESAN
from egov.contracts.izin import PermohonanIzinDibuat
from egov.contracts.ktp import KTPDibuat
from egov.eventstore.domain import EventMetadata
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent

# The events that open a citizen's case: they tell whose later events are about.
PEMBUKA = (KTPDibuat.event_type(), PermohonanIzinDibuat.event_type())


class NotifikasiPolicy(Projector):
    """One notification per citizen-relevant event and channel (exactly once: the command
    derives the notification's stream from the source event id)."""

    name = "audit.notifikasi"
    context = "audit"
    subscriptions = ("ktp", "izin")
    read_models = (PemilikPermohonan,)

    def handle(self, event: RecordedEvent) -> None:
        owners = PemilikPermohonan.objects.using(self.alias)
        if event.event_type in PEMBUKA and event.subject_id:
            owners.get_or_create(
                stream_id=event.stream_id, defaults={"subject_id": event.subject_id}
            )
            return
        if event.event_type not in PESAN:
            return
        owner = owners.filter(stream_id=event.stream_id).first()
        subject_id = event.subject_id or (owner.subject_id if owner else "")
        if not subject_id:
            return
        metadata = EventMetadata.from_dict(event.metadata).caused_by(
            event.event_id, actor="layanan-notifikasi", source="policy"
        )
        commands.notifikasi_buat(
            subject_id=subject_id,
            sumber_event_id=str(event.event_id),
            jenis=event.event_type,
            metadata=metadata,
        )


class NotifikasiStatusProjector(Projector):
    name = "audit.notifikasi_status"
    context = "audit"
    subscriptions = ("audit",)
    read_models = (NotifikasiView,)

    def handle(self, event: RecordedEvent) -> None:
        if event.stream_type != "Notifikasi":
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
