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
        self.handle_batch([event])

    def handle_batch(self, events: list[RecordedEvent]) -> None:
        """Extend the chain by the batch's new events: the head locked once, the records (and
        any seals falling due among them) inserted together, the head moved once."""
        rows = CatatanAudit.objects.using(self.alias)
        ids = [event.event_id for event in events]
        chained = set(rows.filter(event_id__in=ids).values_list("event_id", flat=True))
        new = [event for event in events if event.event_id not in chained]  # else redelivered
        if not new:
            return
        head = KepalaRantai.objects.using(self.alias).select_for_update().get_or_create(id=1)[0]
        records, seals = [], []
        for event in new:
            values = _values(event, nomor=head.nomor + 1)
            record_hash = chain.record_hash(values, head.hash)
            records.append(CatatanAudit(**values, hash_sebelumnya=head.hash, hash=record_hash))
            head.nomor, head.hash = values["nomor"], record_hash
            if head.nomor % settings.AUDIT_SEAL_EVERY == 0:
                seals.append(_seal_row(head.nomor, head.hash))
        rows.bulk_create(records)
        head.save(using=self.alias)
        for row in seals:  # one now and then: saved one by one, publishing the signing key
            row.save(using=self.alias, force_insert=True)
        accesses = [_access(e) for e in new if e.event_type == "DataPribadiDiakses"]
        AksesData.objects.using(self.alias).bulk_create(accesses, ignore_conflicts=True)


def _values(event: RecordedEvent, *, nomor: int) -> dict:
    """What a chain record says of an event (hashed with the previous record's hash)."""
    return {
        "nomor": nomor,
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


def _access(event: RecordedEvent) -> AksesData:
    p = event.payload
    return AksesData(
        event_id=event.event_id,
        subject_id=p["subject_id"],
        konteks=event.context,
        pintu=p["pintu"],
        tujuan=p["tujuan"],
        pengakses=p["pengakses"],
        pada=event.recorded_at,
    )


def _seal_row(nomor: int, hash_: str) -> SegelAudit:
    return SegelAudit(
        nomor=nomor,
        hash=hash_,
        tanda_tangan=chain.sign(nomor, hash_),
        ditandatangani_pada=timezone.now(),
    )


def seal(alias: str, head: KepalaRantai) -> SegelAudit | None:
    """Sign the current head (no-op if it is already sealed or the chain is empty)."""
    seals = SegelAudit.objects.using(alias)
    if head.nomor == 0 or seals.filter(nomor=head.nomor).exists():
        return None
    row = _seal_row(head.nomor, head.hash)
    row.save(using=alias, force_insert=True)
    return row
