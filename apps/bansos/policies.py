"""Reactions of the bansos context to other contexts' events.

Where the identity replica lives: ``IdentitasDukcapil`` rows on bansos's *write* alias,
written by ``commands.bansos_catat_identitas``. Verifying, deciding and instructing a payment
must decide "verified and alive per Dukcapil" inside their own transaction, and a command may
only read its own write alias, so the replica cannot be a read-model table (nor may bansos
read ktp's tables). The policy's checkpoint lives on ``bansos_read`` (it is a Projector); a
crash between the command's commit and the checkpoint replays the event, which is harmless
because the command is idempotent (the replica row is rewritten, a recipient already
suspended is not suspended again, an instruction already cancelled is not cancelled again).
"""

from apps.bansos.domain.rules import PEMILIK_USAHA
from egov import contracts
from egov.contracts.bus import KKDiupdate, NISNDiverifikasi
from egov.contracts.izin import PERORANGAN, NIBDiterbitkan
from egov.contracts.ktp import (
    VERIFIED,
    KTPDiverifikasi,
    NIKDiaktifkanKembali,
    NIKDinonaktifkan,
)
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent
from egov.principals import system


class IdentitasPolicy(Projector):
    """e-KTP feed -> bansos's replica of identities; a deactivated NIK suspends the running
    memberships with that member and cancels their pending payment instructions."""

    name = "bansos.identitas"
    context = "bansos"
    subscriptions = ("ktp",)

    def handle(self, event: RecordedEvent) -> None:
        from apps.bansos.commands import bansos_catat_identitas

        if contracts.is_event(event, KTPDiverifikasi):
            fakta = contracts.read(KTPDiverifikasi, event)
            if fakta.status != VERIFIED:
                return
            status, alasan = VERIFIED, ""
        elif contracts.is_event(event, NIKDinonaktifkan):
            fakta = contracts.read(NIKDinonaktifkan, event)
            status, alasan = fakta.status, fakta.alasan
        elif contracts.is_event(event, NIKDiaktifkanKembali):
            fakta, status, alasan = contracts.read(NIKDiaktifkanKembali, event), VERIFIED, ""
        else:
            return
        bansos_catat_identitas(
            principal=system(self.name),
            nik_hash=fakta.nik_hash,
            status=status,
            alasan=alasan,
            sumber=str(event.event_id),
            metadata=self.reaction_metadata(event),
        )


class PemilikUsahaPolicy(Projector):
    """izin feed -> the exclusion list: an individual who got an NIB owns a business
    (companies' NIBs name no person). Existing memberships are not suspended here: the next
    payment instruction's check excludes the household, as it would for an ASN."""

    name = "bansos.pemilik_usaha"
    context = "bansos"
    subscriptions = ("izin",)

    def handle(self, event: RecordedEvent) -> None:
        from apps.bansos.commands.pengecualian import bansos_catat_pengecualian

        if not contracts.is_event(event, NIBDiterbitkan):
            return
        fakta = contracts.read(NIBDiterbitkan, event)
        if fakta.jenis_pelaku != PERORANGAN or not fakta.nik_hash:
            return
        bansos_catat_pengecualian(
            principal=system(self.name),
            nik_hash=fakta.nik_hash,
            kategori=PEMILIK_USAHA,
            sumber=f"OSS NIB {fakta.nib}",
        )


class KartuKeluargaPolicy(Projector):
    """bus feed -> the family-card replica: a KK Dukcapil issued or changed (``KKDiupdate``
    from Kemendagri, signed and logged by the bus) puts each listed member on it."""

    name = "bansos.kartu_keluarga"
    context = "bansos"
    subscriptions = ("bus",)

    def handle(self, event: RecordedEvent) -> None:
        from apps.bansos.commands.replika_kk import bansos_catat_kk

        if not contracts.is_event(event, KKDiupdate):
            return
        fakta = contracts.read(KKDiupdate, event)
        bansos_catat_kk(
            principal=system(self.name),
            nomor_kk_hash=fakta.nomor_kk_hash,
            anggota=fakta.anggota,
            sumber=str(event.event_id),
        )


class SekolahPolicy(Projector):
    """bus feed -> PKH conditionality: a school's verified enrolment of a child
    (``NISNDiverifikasi`` from Kemendikdasmen) records the child's school component as met
    this quarter (``KepatuhanDicatat``, source: the bus message)."""

    name = "bansos.sekolah"
    context = "bansos"
    subscriptions = ("bus",)

    def handle(self, event: RecordedEvent) -> None:
        from apps.bansos.commands.penerima import bansos_catat_kepatuhan_sekolah

        if not contracts.is_event(event, NISNDiverifikasi):
            return
        fakta = contracts.read(NISNDiverifikasi, event)
        bansos_catat_kepatuhan_sekolah(
            principal=system(self.name),
            nik_hash=fakta.nik_hash,
            sumber=f"NISNDiverifikasi {fakta.instansi} {fakta.message_id}",
            metadata=self.reaction_metadata(event),
        )
