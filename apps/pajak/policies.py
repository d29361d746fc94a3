"""Reactions of the pajak context to other contexts' events.

Where the identity replica lives: ``IdentitasDukcapil`` rows on pajak's *write* alias,
written by ``commands.pajak_catat_identitas``. Registering an individual must decide
"verified by Dukcapil or not" inside its own transaction, and a command may only read its own
write alias, so the replica cannot be a read-model table (nor may pajak read ktp's tables).
The policy's checkpoint lives on ``pajak_read`` (it is a Projector); a crash between the
command's commit and the checkpoint replays the event, which is harmless because the command
is idempotent (the replica row is rewritten, a review already open is not opened again).
"""

from egov import contracts
from egov.contracts.ktp import (
    VERIFIED,
    KTPDiverifikasi,
    NIKDiaktifkanKembali,
    NIKDinonaktifkan,
)
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent


class IdentitasPolicy(Projector):
    """e-KTP feed -> pajak's replica of verified identities; a deactivated NIK of a registered
    individual opens a review (``PeninjauanWajibPajakDibuka``)."""

    name = "pajak.identitas"
    context = "pajak"
    subscriptions = ("ktp",)

    def handle(self, event: RecordedEvent) -> None:
        from apps.pajak.commands import pajak_catat_identitas
        from apps.pajak.domain.wajib_pajak import identitas_dari_ktp

        if contracts.is_event(event, KTPDiverifikasi):
            fakta = contracts.read(KTPDiverifikasi, event)
            if fakta.status != VERIFIED:
                return
            alasan = ""
        elif contracts.is_event(event, NIKDinonaktifkan):
            fakta = contracts.read(NIKDinonaktifkan, event)
            alasan = fakta.alasan
        elif contracts.is_event(event, NIKDiaktifkanKembali):
            fakta, alasan = contracts.read(NIKDiaktifkanKembali, event), ""
        else:
            return
        identitas = identitas_dari_ktp(fakta, sumber=str(event.event_id))
        pajak_catat_identitas(
            nik_hash=identitas.nik_hash,
            status=identitas.status,
            sumber=identitas.sumber,
            alasan=alasan,
            metadata=self.reaction_metadata(event),
        )
