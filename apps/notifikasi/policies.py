"""The notification policy: reactions to other contexts' published events (ktp, izin), read
through their feeds and contract classes (egov/contracts), never their models."""

from __future__ import annotations

from apps.notifikasi import commands
from apps.notifikasi.domain import PESAN
from apps.notifikasi.models import PemilikPermohonan
from egov.contracts.izin import PermohonanIzinDibuat
from egov.contracts.ktp import KTPDibuat
from egov.eventstore.domain import EventMetadata
from egov.eventstore.models import Checkpoint
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent

OLD_POLICY, OLD_ALIAS = "audit.notifikasi", "audit_read"  # before this context existed
MSG_UPGRADE = (
    "notifications of this installation still live in the audit store: run "
    "`manage.py pindah_notifikasi` before the notification policy may start"
)


class UpgradePending(RuntimeError):
    """Refuses to react (so nothing is notified twice) until ``pindah_notifikasi`` ran."""


# The events that open a citizen's case: they tell whose later events are about.
PEMBUKA = (KTPDibuat.event_type(), PermohonanIzinDibuat.event_type())


def catat_pemilik(alias: str, event: RecordedEvent) -> bool:
    """Remember whose case a stream is when ``event`` opens one; True if it did."""
    if event.event_type not in PEMBUKA or not event.subject_id:
        return False
    PemilikPermohonan.objects.using(alias).get_or_create(
        stream_id=event.stream_id, defaults={"subject_id": event.subject_id}
    )
    return True


class NotifikasiPolicy(Projector):
    """One notification per citizen-relevant event and channel (exactly once: the command
    derives the notification's stream from the source event id)."""

    name = "notifikasi.kebijakan"
    context = "notifikasi"
    subscriptions = ("ktp", "izin")
    read_models = (PemilikPermohonan,)

    _upgraded = False  # checked once per process, then remembered

    def _require_upgraded(self) -> None:
        if not type(self)._upgraded:
            if _behind_the_old_policy(self.alias):
                raise UpgradePending(MSG_UPGRADE)
            type(self)._upgraded = True

    def handle(self, event: RecordedEvent) -> None:
        self._require_upgraded()
        if catat_pemilik(self.alias, event) or event.event_type not in PESAN:
            return
        owner = PemilikPermohonan.objects.using(self.alias).filter(stream_id=event.stream_id)
        owner = owner.first()
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


def _behind_the_old_policy(alias: str) -> bool:
    """True when the old audit policy read further than this one: an installation upgraded
    without ``pindah_notifikasi`` (its notifications would be created and sent again)."""
    old = dict(
        Checkpoint.objects.using(OLD_ALIAS)
        .filter(projector=OLD_POLICY)
        .values_list("feed", "position")
    )
    new = dict(
        Checkpoint.objects.using(alias)
        .filter(projector=NotifikasiPolicy.name)
        .values_list("feed", "position")
    )
    return any(position > new.get(feed, 0) for feed, position in old.items())
