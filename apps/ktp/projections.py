"""Read side of the ktp context: request status (queues are its filters) and timelines.
Idempotent: a row remembers the last stream version applied; timelines are keyed by event."""

from __future__ import annotations

from datetime import datetime

from apps.ktp.domain import NIKDiaktifkanKembali, NIKDinonaktifkan
from apps.ktp.models import RingkasanBlangko, RiwayatKTP, StatusPermohonanKTP
from egov.eventstore.domain import is_erased
from egov.eventstore.projections import Projector
from egov.eventstore.pseudonym import mask_nik
from egov.eventstore.store import RecordedEvent

NIK_EVENTS = (NIKDinonaktifkan.event_type(), NIKDiaktifkanKembali.event_type())


def _text(value) -> str:
    return "" if value is None or is_erased(value) else str(value)


class StatusKTPProjector(Projector):
    name = "ktp.status"
    context = "ktp"
    subscriptions = ("ktp",)
    read_models = (StatusPermohonanKTP, RiwayatKTP, RingkasanBlangko)

    def handle(self, event: RecordedEvent) -> None:
        if event.event_type in ("BlangkoDitambah", "KTPDicetak"):
            self._blangko(event)
        rows = StatusPermohonanKTP.objects.using(self.alias)
        if event.event_type == "DataPribadiDihapus":
            rows.filter(subject_id=event.payload["subject_id"]).update(nik_masked="", nama="")
            return
        if event.event_type in NIK_EVENTS:
            # the latest event wins, on every request of the NIK (a replay sets the same)
            rows.filter(subject_id=event.subject_id).update(
                status_nik=event.payload["status"],
                alasan_nonaktif=event.payload.get("alasan", ""),
            )
            return
        if event.stream_type != "PermohonanKTP":
            return
        row = rows.filter(permohonan_id=event.stream_id).first()
        if row is not None and event.version <= row.last_version:
            return  # already applied
        if row is None and event.event_type != "KTPDibuat":
            return  # a stream that did not start with a request is not one
        row = row or self._new_row(event)
        p = event.payload
        row.status = p["status"]
        row.nomor_blangko = p.get("nomor_blangko", row.nomor_blangko)
        row.duplikat_dari = p.get("duplikat_dari", row.duplikat_dari)
        row.diperbarui_pada = event.recorded_at
        row.last_version = event.version
        row.save(using=self.alias)
        RiwayatKTP.objects.using(self.alias).get_or_create(
            event_id=event.event_id,
            defaults={
                "permohonan_id": event.stream_id,
                "urutan": event.version,
                "jenis": event.event_type,
                "status": p["status"],
                "officer_id": p.get("officer_id") or event.metadata.get("officer_id", ""),
                "pada": event.recorded_at,
            },
        )

    @staticmethod
    def _new_row(event: RecordedEvent) -> StatusPermohonanKTP:
        p = event.payload
        nik = _text(p.get("nik"))
        return StatusPermohonanKTP(
            permohonan_id=event.stream_id,
            subject_id=event.subject_id,
            nik_masked=mask_nik(nik) if nik else "",
            nama=_text(p.get("nama")),
            jenis=p["jenis"],
            alasan=p.get("alasan", ""),
            kode_provinsi=p["kode_wilayah"][:2],
            # the submitter's principal id: an integrator reads what it submitted
            diajukan_oleh=event.metadata.get("principal_id", ""),
            diajukan_pada=datetime.fromisoformat(p["timestamp"]),
            diperbarui_pada=event.recorded_at,
        )

    def _blangko(self, event: RecordedEvent) -> None:
        stock, _ = RingkasanBlangko.objects.using(self.alias).get_or_create(id=1)
        if event.event_type == "BlangkoDitambah":
            stock.stok = event.payload["stok"]
        else:
            stock.stok -= 1
            stock.dicetak += 1
        stock.diperbarui_pada = event.recorded_at
        stock.save(using=self.alias)
