"""The audit projector: every event of every context, once, into the hash chain.

The chain head row is locked (SELECT ... FOR UPDATE) before a batch extends the chain, so
batches from different feeds (one checkpoint each) take turns and never fork the chain."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from apps.audit import chain
from apps.audit.models import AksesData, CatatanAudit, KepalaRantai, SegelAudit
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent


class AuditProjector(Projector):
    name = "audit.jejak"
    context = "audit"
    read_models = ()  # never emptied: see ``rebuildable``
    rebuildable = False

    @property
    def subscriptions(self) -> tuple[str, ...]:
        return tuple(settings.CONTEXTS)

    def reset(self) -> None:
        raise RuntimeError("The audit trail is append-only: backfill a new, empty database.")

    def handle(self, event: RecordedEvent) -> None:
        rows = CatatanAudit.objects.using(self.alias)
        if rows.filter(event_id=event.event_id).exists():
            return  # redelivered: already in the chain
        head = KepalaRantai.objects.using(self.alias).select_for_update().get_or_create(id=1)[0]
        values = {
            "nomor": head.nomor + 1,
            "konteks": event.context,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "stream_id": event.stream_id,
            "subject_id": event.subject_id,
            "aktor": event.metadata.get("actor", ""),
            "officer_id": event.metadata.get("officer_id", ""),
            "correlation_id": event.metadata.get("correlation_id", ""),
            "recorded_at": event.recorded_at,
        }
        record = rows.create(
            **values, hash_sebelumnya=head.hash, hash=chain.record_hash(values, head.hash)
        )
        head.nomor, head.hash = record.nomor, record.hash
        head.save(using=self.alias)
        if event.event_type == "DataPribadiDiakses":
            self._access(event)
        if record.nomor % settings.AUDIT_SEAL_EVERY == 0:
            seal(self.alias, head)

    def _access(self, event: RecordedEvent) -> None:
        p = event.payload
        AksesData.objects.using(self.alias).get_or_create(
            event_id=event.event_id,
            defaults={
                "subject_id": p["subject_id"],
                "konteks": event.context,
                "pintu": p["pintu"],
                "tujuan": p["tujuan"],
                "pengakses": p["pengakses"],
                "pada": event.recorded_at,
            },
        )


def seal(alias: str, head: KepalaRantai) -> SegelAudit | None:
    """Sign the current head (no-op if it is already sealed or the chain is empty)."""
    seals = SegelAudit.objects.using(alias)
    if head.nomor == 0 or seals.filter(nomor=head.nomor).exists():
        return None
    return seals.create(
        nomor=head.nomor,
        hash=head.hash,
        tanda_tangan=chain.sign(head.nomor, head.hash),
        ditandatangani_pada=timezone.now(),
    )
