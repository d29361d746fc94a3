"""Upgrade step: move notifications out of the audit context into this one, data intact.

Until the notifikasi context existed, notifications were event-sourced in the audit store and
the policy ``audit.notifikasi`` kept its checkpoints in ``audit_read``. This command, run once
after ``migrate_all`` (and safe to run again):

1. copies every event of the ``Notifikasi`` streams from the audit event table into
   ``notifikasi_event``, with the same event ids, stream ids, versions, payloads, metadata and
   ``recorded_at``. Rows are inserted directly: ``EventStore.append`` stamps a new
   ``recorded_at`` (and new rows need no encryption: notification events have no personal
   fields). An event id already present is skipped, so a second run copies nothing;
2. re-derives whose request each ktp/izin stream is (``PemilikPermohonan``) from the feeds;
3. moves the policy's checkpoints on the ktp and izin feeds to where ``audit.notifikasi`` had
   reached (never backwards), so no source event is handled twice; and even a replayed one
   finds its notification's stream (uuid5 of source event and channel) taken;
4. rebuilds the read side (``rebuild_projections notifikasi.status``).

The audit store is reached through the kernel (``get_store("audit")``), never audit's code.
The old events stay in the audit store: it is append-only.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.notifikasi.domain import Notifikasi
from apps.notifikasi.models import NotifikasiEvent
from apps.notifikasi.policies import NotifikasiPolicy, catat_pemilik
from egov.databases import read_alias
from egov.db import atomic
from egov.eventstore import feed, projections
from egov.eventstore.models import Checkpoint
from egov.eventstore.store import EventStore, get_store

SUMBER = "audit"  # the context notifications came from
KEBIJAKAN_LAMA = "audit.notifikasi"  # its policy's name (checkpoints in audit_read)
ALIAS = "notifikasi"
BATCH = 1000
FIELDS = EventStore.COLUMNS  # an event row as an append writes it


class Command(BaseCommand):
    help = "Copy notifications (events, checkpoints) from the audit context, then rebuild."

    def handle(self, *args, **options):
        copied, skipped = self.copy_events()
        self.stdout.write(f"events: {copied} copied, {skipped} already present")
        policy = projections.get_projector(NotifikasiPolicy.name)
        owners = self.derive_owners(policy)
        self.stdout.write(f"request owners: {owners} opening events seen")
        for feed_name, cursor in self.move_checkpoints(policy).items():
            self.stdout.write(f"{policy.name}@{feed_name}: {cursor}")
        call_command("rebuild_projections", "notifikasi.status", stdout=self.stdout)

    def copy_events(self) -> tuple[int, int]:
        source = get_store(SUMBER).event_model.objects.using(SUMBER)
        rows = source.filter(stream_type=Notifikasi.stream_type).order_by("position")
        present = NotifikasiEvent.objects.using(ALIAS)
        copied = skipped = 0
        batch: list = []

        def flush() -> None:
            nonlocal copied, skipped
            ids = [row.event_id for row in batch]
            there = set(present.filter(event_id__in=ids).values_list("event_id", flat=True))
            new = [NotifikasiEvent(**_values(row)) for row in batch if row.event_id not in there]
            with atomic(ALIAS):
                # Only absent ids are inserted; a (stream, version) already taken by another
                # event (a notification created before this ran) is an error, never hidden.
                NotifikasiEvent.objects.using(ALIAS).bulk_create(new)
            copied, skipped = copied + len(new), skipped + len(there)
            batch.clear()

        for row in rows.iterator(chunk_size=BATCH):
            batch.append(row)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        return copied, skipped

    def derive_owners(self, policy) -> int:
        seen = 0
        for feed_name in policy.subscriptions:
            cursor = feed.START
            while events := feed.read_feed(feed_name, after=cursor, limit=BATCH):
                with atomic(policy.alias):
                    seen += sum(catat_pemilik(policy.alias, event) for event in events)
                cursor = events[-1].cursor
        return seen

    def move_checkpoints(self, policy) -> dict[str, tuple[int, int]]:
        old = Checkpoint.objects.using(read_alias(SUMBER)).filter(projector=KEBIJAKAN_LAMA)
        reached = {c.feed: (c.tx, c.position) for c in old}
        moved = {}
        with atomic(policy.alias):
            for feed_name in policy.subscriptions:
                checkpoint = (
                    Checkpoint.objects.using(policy.alias)
                    .select_for_update()
                    .get_or_create(projector=policy.name, feed=feed_name)[0]
                )
                target = max((checkpoint.tx, checkpoint.position), reached.get(feed_name, (0, 0)))
                checkpoint.tx, checkpoint.position = target
                checkpoint.save(using=policy.alias)
                moved[feed_name] = target
        return moved


def _values(row) -> dict:
    return {name: getattr(row, name) for name in FIELDS}
