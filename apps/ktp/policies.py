"""Reactions of the ktp context to other contexts' events.

``KartuKeluargaPolicy``: a family card Kemendagri issued or changed (``KKDiupdate``) is
recorded on each listed member's NIK stream (``KKDiperbarui``): e-KTP keeps the KK history.

``KematianPolicy``: a death the civil registry reported over the bus (``KematianDicatat``,
signed by the agency and logged by the bus) deactivates the NIK with reason MENINGGAL through
e-KTP's own command, ``ktp_nonaktifkan_nik``; izin, pajak and bansos then react to
``NIKDinonaktifkan`` as to an officer's deactivation. The appended event carries the reaction
metadata: caused by the bus event, in the correlation of the agency's message id.

Idempotent: a NIK already deactivated is left as it is (a replayed or redelivered message
changes nothing). A NIK e-KTP has no event of is **not** deactivated blindly (a mistyped NIK
would deactivate a stranger's) and not dropped either: the message is kept as a
``KematianTertunda`` row, written with the policy's checkpoint (same transaction, so once),
listed in the admin and retried by an officer once the NIK is known.
"""

from __future__ import annotations

import uuid

from apps.ktp.commands import ktp_catat_kk, ktp_nonaktifkan_nik
from apps.ktp.domain import MENINGGAL
from apps.ktp.models import KematianTertunda
from apps.ktp.roles import require_petugas
from apps.ktp.store import store
from egov import contracts
from egov.contracts.bus import KematianDicatat, KKDiupdate
from egov.databases import read_alias
from egov.eventstore.domain import DomainError, EventMetadata
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent
from egov.principals import Principal, system

NAME = "ktp.kematian"
NIK_TIDAK_DIKENAL = "NIK tidak dikenal e-KTP"
# The policy acts for the civil registry: the registrar signed the death certificate and the
# bus verified the signature; ktp_nonaktifkan_nik accepts the platform for such a fact
# (roles.require_may_deactivate), named as this policy in every event.
PENCATATAN_SIPIL = system(NAME)


def _nik_dikenal(nik_hash: str) -> bool:
    """e-KTP knows a NIK when any of its events is about it (a request, a verified account
    claim, a deactivation): its subject id is the NIK's keyed hash."""
    return store.event_model.objects.using(store.alias).filter(subject_id=nik_hash).exists()


def _nonaktifkan(fakta: KematianDicatat, principal: Principal, metadata: EventMetadata) -> str:
    """Deactivate; returns "" when applied (or already deactivated), else why not."""
    if not _nik_dikenal(fakta.nik_hash):
        return NIK_TIDAK_DIKENAL
    try:
        ktp_nonaktifkan_nik(
            principal=principal,
            nik_hash=fakta.nik_hash,
            alasan=MENINGGAL,
            keterangan=f"KematianDicatat dari {fakta.instansi}, pesan {fakta.message_id}",
            metadata=metadata,
        )
    except DomainError as error:
        if error.code != "nik_sudah_nonaktif":  # already deactivated: nothing to do
            return f"{error.code}: {error.message}"[:200]
    return ""


class KematianPolicy(Projector):
    """Bus feed -> e-KTP: a reported death deactivates the NIK (or is kept as a dead letter)."""

    name = NAME
    context = "ktp"
    subscriptions = ("bus",)
    read_models = (KematianTertunda,)
    rebuildable = False  # the dead letters are the only record of what is left to do

    def handle(self, event: RecordedEvent) -> None:
        if not contracts.is_event(event, KematianDicatat):
            return
        fakta = contracts.read(KematianDicatat, event)
        metadata = self.reaction_metadata(event)
        galat = _nonaktifkan(fakta, PENCATATAN_SIPIL, metadata)
        if galat:
            KematianTertunda.objects.using(self.alias).get_or_create(
                bus_event_id=event.event_id,
                defaults={
                    "message_id": fakta.message_id,
                    "nik_hash": fakta.nik_hash,
                    "instansi": fakta.instansi,
                    "tanggal_kematian": fakta.tanggal_kematian,
                    "korelasi": metadata.correlation_id,
                    "galat": galat,
                },
            )


def coba_lagi_kematian(
    *, principal: Principal, bus_event_id: uuid.UUID, metadata: EventMetadata
) -> bool:
    """An officer retries a dead letter (the admin action): True once it is applied. The
    deactivation is caused by the bus event, as if the policy had applied it."""
    require_petugas(principal)
    rows = KematianTertunda.objects.using(read_alias("ktp"))
    row = rows.get(bus_event_id=bus_event_id)
    if row.diterapkan:
        return True
    fakta = KematianDicatat(
        nik_hash=row.nik_hash,
        tanggal_kematian=row.tanggal_kematian,
        nomor_akta="",
        instansi=row.instansi,
        message_id=row.message_id,
    )
    caused = metadata.caused_by(bus_event_id)
    if row.korelasi:
        caused = EventMetadata.from_dict(caused.to_dict() | {"correlation_id": row.korelasi})
    galat = _nonaktifkan(fakta, principal, caused)
    row.percobaan += 1
    row.galat = galat or row.galat
    row.diterapkan = not galat
    row.save(using=rows.db, update_fields=["percobaan", "galat", "diterapkan", "diperbarui_pada"])
    return row.diterapkan


class KartuKeluargaPolicy(Projector):
    """bus feed -> each listed member's KK history (``KKDiperbarui``), once per change."""

    name = "ktp.kartu_keluarga"
    context = "ktp"
    subscriptions = ("bus",)

    def handle(self, event: RecordedEvent) -> None:
        if not contracts.is_event(event, KKDiupdate):
            return
        fakta = contracts.read(KKDiupdate, event)
        metadata = self.reaction_metadata(event)
        for nik_hash in sorted(set(fakta.anggota)):
            ktp_catat_kk(
                principal=system(self.name),
                nik_hash=nik_hash,
                baru=fakta.nomor_kk_hash,
                lama=fakta.nomor_kk_lama_hash,
                alasan=fakta.alasan,
                sumber=fakta.message_id,
                metadata=metadata,
            )
