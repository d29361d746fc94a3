"""Reactions of the izin context to events (its own and the e-KTP context's).

Where the identity replica lives: ``IdentitasTerverifikasi`` rows on izin's *write* alias,
written by ``commands.izin_catat_identitas``. The command side must decide "verified or not"
inside its own transaction, and it may only read its own write alias, so the replica cannot
be a read-model table. The policy's checkpoint lives on ``izin_read`` (it is a Projector); a
crash between the command's commit and the checkpoint replays the event, which is harmless
because the command is idempotent.
"""

from egov import contracts
from egov.contracts.izin import IzinDisetujui, IzinDisetujuiFiktifPositif
from egov.contracts.ktp import (
    NONAKTIF,
    VERIFIED,
    KTPDiverifikasi,
    NIKDiaktifkanKembali,
    NIKDinonaktifkan,
)
from egov.db import on_commit
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent

PERSETUJUAN_EVENTS = (IzinDisetujui.event_type(), IzinDisetujuiFiktifPositif.event_type())


class IdentitasPolicy(Projector):
    """e-KTP feed -> identity replica; resumes applications held for this NIK."""

    name = "izin.identitas"
    context = "izin"
    subscriptions = ("ktp",)

    def handle(self, event: RecordedEvent) -> None:
        from apps.izin.commands import izin_catat_identitas

        if contracts.is_event(event, KTPDiverifikasi):
            fact = contracts.read(KTPDiverifikasi, event)
            if fact.status != VERIFIED:
                return
            nik_hash, status = fact.nik_hash, VERIFIED
        elif contracts.is_event(event, NIKDinonaktifkan):
            nik_hash, status = contracts.read(NIKDinonaktifkan, event).nik_hash, NONAKTIF
        elif contracts.is_event(event, NIKDiaktifkanKembali):
            nik_hash, status = contracts.read(NIKDiaktifkanKembali, event).nik_hash, VERIFIED
        else:
            return
        izin_catat_identitas(
            nik_hash=nik_hash,
            status=status,
            sumber=str(event.event_id),
            metadata=self.reaction_metadata(event),
        )


class PengirimanPolicy(Projector):
    """Approval -> background delivery of the permit document (after this batch commits)."""

    name = "izin.pengiriman"
    context = "izin"
    subscriptions = ("izin",)

    def handle(self, event: RecordedEvent) -> None:
        if event.event_type not in PERSETUJUAN_EVENTS:
            return
        from apps.izin.tasks import izin_kirim

        permohonan_id = str(event.stream_id)
        on_commit(self.alias, lambda: izin_kirim.delay(permohonan_id))
