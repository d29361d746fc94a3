"""Citizen notifications (GOV.UK Notify's statuses: created -> sending -> delivered | failed),
event-sourced in the notifikasi store. One notification per source event and channel: its
stream id is derived from both, so a redelivered event finds the stream taken and adds nothing.

Plain Python: no Django, DRF or Celery."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from egov.contracts.izin import (
    IzinDikirim,
    IzinDisetujui,
    IzinDisetujuiFiktifPositif,
    IzinDitolak,
    PerbaikanDiminta,
)
from egov.contracts.ktp import KTPDicetak, KTPDitolak
from egov.eventstore.domain import Aggregate, DomainEvent, InvalidState
from egov.principals import gettext_noop

DIBUAT, MENGIRIM, TERKIRIM, GAGAL = "created", "sending", "delivered", "failed"
MSG_TIDAK_BISA_DIKIRIM_ULANG = gettext_noop("Hanya notifikasi yang gagal yang dapat dikirim ulang.")

# Events that matter to a citizen -> (subject line, body), Indonesian msgids (translated when
# the e-mail is sent).
PESAN = {
    KTPDicetak.event_type(): (
        gettext_noop("KTP-el Anda sudah dicetak"),
        gettext_noop("KTP-el Anda sudah dicetak dan siap diambil di kantor Dukcapil."),
    ),
    KTPDitolak.event_type(): (
        gettext_noop("Permohonan KTP-el ditolak"),
        gettext_noop("Permohonan KTP-el Anda ditolak. Lihat alasannya di portal."),
    ),
    IzinDisetujui.event_type(): (
        gettext_noop("Izin usaha disetujui"),
        gettext_noop("Permohonan izin usaha Anda disetujui."),
    ),
    IzinDisetujuiFiktifPositif.event_type(): (
        gettext_noop("Izin usaha disetujui"),
        gettext_noop("Izin usaha Anda dianggap disetujui (fiktif positif)."),
    ),
    IzinDitolak.event_type(): (
        gettext_noop("Izin usaha ditolak"),
        gettext_noop("Permohonan izin usaha Anda ditolak."),
    ),
    IzinDikirim.event_type(): (
        gettext_noop("Dokumen izin usaha terbit"),
        gettext_noop("Dokumen izin usaha Anda terbit dan dapat diunduh di portal."),
    ),
    PerbaikanDiminta.event_type(): (
        gettext_noop("Perbaikan permohonan izin diminta"),
        gettext_noop("Petugas meminta perbaikan permohonan izin usaha Anda."),
    ),
}


def notification_id(source_event_id: uuid.UUID | str, channel: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"egov:notifikasi:{source_event_id}:{channel}")


@dataclass(frozen=True)
class NotifikasiDibuat(DomainEvent):
    subject_field = "subject_id"

    subject_id: str
    sumber_event_id: str
    sumber_event_type: str
    kanal: str
    status: str = DIBUAT


@dataclass(frozen=True)
class NotifikasiDikirim(DomainEvent):
    percobaan: int
    status: str = MENGIRIM


@dataclass(frozen=True)
class NotifikasiTerkirim(DomainEvent):
    status: str = TERKIRIM


@dataclass(frozen=True)
class NotifikasiGagal(DomainEvent):
    alasan: str
    permanen: bool
    status: str = GAGAL


@dataclass(frozen=True)
class NotifikasiDijadwalkanUlang(DomainEvent):
    """An officer asked for a failed notification to be sent again."""

    oleh: str
    status: str = DIBUAT


EVENTS = (
    NotifikasiDibuat,
    NotifikasiDikirim,
    NotifikasiTerkirim,
    NotifikasiGagal,
    NotifikasiDijadwalkanUlang,
)


class Notifikasi(Aggregate):
    stream_type = "Notifikasi"

    def __init__(self, aggregate_id: uuid.UUID):
        super().__init__(aggregate_id)
        self.status, self.percobaan, self.permanen = "", 0, False
        self.subject_id = self.jenis = ""

    @classmethod
    def buat(cls, *, subject_id: str, sumber_event_id: str, jenis: str, kanal: str) -> Notifikasi:
        notification = cls(notification_id(sumber_event_id, kanal))
        notification._record(
            NotifikasiDibuat(
                subject_id=subject_id,
                sumber_event_id=sumber_event_id,
                sumber_event_type=jenis,
                kanal=kanal,
            )
        )
        return notification

    def boleh_dikirim(self) -> bool:
        return self.status == DIBUAT or (self.status == GAGAL and not self.permanen)

    def mulai_kirim(self) -> None:
        if not self.boleh_dikirim():
            raise InvalidState(MSG_TIDAK_BISA_DIKIRIM_ULANG, code="tidak_bisa_dikirim")
        self._record(NotifikasiDikirim(percobaan=self.percobaan + 1))

    def terkirim(self) -> None:
        self._record(NotifikasiTerkirim())

    def gagal(self, *, alasan: str, permanen: bool) -> None:
        self._record(NotifikasiGagal(alasan=alasan[:500], permanen=permanen))

    def kirim_ulang(self, *, oleh: str) -> None:
        """An officer resends a failed notification (even a permanent failure)."""
        if self.status != GAGAL:
            raise InvalidState(MSG_TIDAK_BISA_DIKIRIM_ULANG, code="tidak_bisa_dikirim")
        self._record(NotifikasiDijadwalkanUlang(oleh=oleh))

    def apply_NotifikasiDibuat(self, e: NotifikasiDibuat) -> None:
        self.status, self.subject_id, self.jenis = e.status, e.subject_id, e.sumber_event_type

    def apply_NotifikasiDikirim(self, e: NotifikasiDikirim) -> None:
        self.status, self.percobaan, self.permanen = e.status, e.percobaan, False

    def apply_NotifikasiTerkirim(self, e: NotifikasiTerkirim) -> None:
        self.status = e.status

    def apply_NotifikasiGagal(self, e: NotifikasiGagal) -> None:
        self.status, self.permanen = e.status, e.permanen

    def apply_NotifikasiDijadwalkanUlang(self, e: NotifikasiDijadwalkanUlang) -> None:
        self.status, self.permanen = e.status, False
