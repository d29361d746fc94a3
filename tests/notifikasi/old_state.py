"""Test-only: the state an installation had before notifications left the audit context.

The old policy (``audit.notifikasi``) appended the Notifikasi streams to the *audit* store and
kept its checkpoints in ``audit_read``; these helpers write exactly that, with the aggregate
the old code used (its events are unchanged)."""

from __future__ import annotations

from django.core import mail

from apps.notifikasi.domain import PESAN, Notifikasi
from egov.databases import read_alias
from egov.eventstore.domain import EventMetadata
from egov.eventstore.feed import read_feed
from egov.eventstore.models import Checkpoint
from egov.eventstore.store import get_store
from egov.portal.accounts import contact_email_for

OLD_POLICY = "audit.notifikasi"
NO_ADDRESS = "Warga tidak memiliki alamat e-mail terdaftar."


def notify_in_audit_store(feed_name: str = "ktp") -> int:
    """What the old policy and task did for every citizen-relevant event of a feed: create,
    send (or fail for good without an address) in the audit store; move its checkpoint."""
    store, created, cursor = get_store("audit"), 0, (0, 0)
    for event in read_feed(feed_name):
        cursor = event.cursor
        if event.event_type not in PESAN or not event.subject_id:
            continue
        metadata = EventMetadata.from_dict(event.metadata).caused_by(
            event.event_id, actor="layanan-notifikasi", source="policy"
        )
        notification = Notifikasi.buat(
            subject_id=event.subject_id,
            sumber_event_id=str(event.event_id),
            jenis=event.event_type,
            kanal="email",
        )
        store.save(notification, metadata)
        notification.mulai_kirim()
        store.save(notification, metadata)
        address = contact_email_for(event.subject_id)
        if address:
            mail.send_mail(PESAN[event.event_type][0], "", "noreply@egov.test", [address])
            notification.terkirim()
        else:
            notification.gagal(alasan=NO_ADDRESS, permanen=True)
        store.save(notification, metadata)
        created += 1
    Checkpoint.objects.using(read_alias("audit")).update_or_create(
        projector=OLD_POLICY,
        feed=feed_name,
        defaults={"tx": cursor[0], "position": cursor[1]},
    )
    return created
