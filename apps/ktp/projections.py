"""Read side of the ktp context: request status (queues are its filters) and timelines.
Idempotent: a row remembers the last stream version applied; timelines are keyed by event."""

from __future__ import annotations

from datetime import datetime

from apps.ktp.domain import KTPDibuat, NIKDiaktifkanKembali, NIKDinonaktifkan
from apps.ktp.models import RingkasanBlangko, RiwayatKTP, StatusPermohonanKTP
from egov.eventstore.batch_rows import Rows, insert_new_values
from egov.eventstore.domain import is_erased
from egov.eventstore.projections import Projector
from egov.eventstore.pseudonym import mask_nik
from egov.eventstore.store import RecordedEvent

NIK_EVENTS = (NIKDinonaktifkan.event_type(), NIKDiaktifkanKembali.event_type())
REQUEST_FIELDS = [
    "status",
    "nomor_blangko",
    "duplikat_dari",
    "nik_masked",
    "nama",
    "status_nik",
    "alasan_nonaktif",
    "diperbarui_pada",
    "last_version",
]
# A timeline row as a tuple (a rebuild writes one per event: no model instance for each).
TIMELINE_COLUMNS = ["event_id", "permohonan_id", "urutan", "jenis", "status", "officer_id", "pada"]


def _text(value) -> str:
    return "" if value is None or is_erased(value) else str(value)


class StatusKTPProjector(Projector):
    name = "ktp.status"
    context = "ktp"
    subscriptions = ("ktp",)
    read_models = (StatusPermohonanKTP, RiwayatKTP, RingkasanBlangko)
    decrypts = frozenset({KTPDibuat.event_type()})  # the NIK (masked) and the name
    typed_events = False

    def handle(self, event: RecordedEvent) -> None:
        self.handle_batch([event])

    def handle_batch(self, events: list[RecordedEvent]) -> None:
        """A batch's requests read in one query, changed in memory, written back with one
        insert and one update; the timeline with one insert (a rebuild replays a million
        events: a few queries per event would be hours, bench/ktp_rebuild.py)."""
        requests = Rows(StatusPermohonanKTP, self.alias)
        requests.load(e.stream_id for e in events if e.stream_type == "PermohonanKTP")
        timeline: list[tuple] = []
        stock = BlangkoBatch(self.alias)
        for event in events:
            if event.event_type in ("BlangkoDitambah", "KTPDicetak"):
                stock.apply(event)
            if event.event_type == "DataPribadiDihapus":
                self._erase(requests, event.payload["subject_id"])
            elif event.event_type in NIK_EVENTS:
                self._nik_status(requests, event)
            elif event.stream_type == "PermohonanKTP":
                self._request(requests, timeline, event)
        requests.flush(REQUEST_FIELDS)
        insert_new_values(RiwayatKTP, self.alias, TIMELINE_COLUMNS, timeline)
        stock.save()

    def _subject_rows(self, requests: Rows, subject_id: str, **values) -> None:
        """Set ``values`` on every request of a subject: in the table and in the batch."""
        StatusPermohonanKTP.objects.using(self.alias).filter(subject_id=subject_id).update(**values)
        for row in requests.loaded():
            if row.subject_id == subject_id:
                for field, value in values.items():
                    setattr(row, field, value)

    def _erase(self, requests: Rows, subject_id: str) -> None:
        self._subject_rows(requests, subject_id, nik_masked="", nama="")

    def _nik_status(self, requests: Rows, event: RecordedEvent) -> None:
        # the latest event wins, on every request of the NIK (a replay sets the same)
        self._subject_rows(
            requests,
            event.subject_id,
            status_nik=event.payload["status"],
            alasan_nonaktif=event.payload.get("alasan", ""),
        )

    def _request(self, requests: Rows, timeline: list, event: RecordedEvent) -> None:
        row = requests.get(event.stream_id)
        if row is not None and event.version <= row.last_version:
            return  # already applied
        if row is None and event.event_type != "KTPDibuat":
            return  # a stream that did not start with a request is not one
        if row is None:
            row = self._new_row(event)
            requests.add(row)
        else:
            requests.changed(row)
        p = event.payload
        row.status = p["status"]
        row.nomor_blangko = p.get("nomor_blangko", row.nomor_blangko)
        row.duplikat_dari = p.get("duplikat_dari", row.duplikat_dari)
        row.diperbarui_pada = event.recorded_at
        row.last_version = event.version
        officer_id = p.get("officer_id") or event.metadata.get("officer_id", "")
        timeline.append(
            (event.event_id, event.stream_id, event.version, event.event_type, p["status"],
             officer_id, event.recorded_at)
        )  # fmt: skip

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


class BlangkoBatch:
    """The blank stock row, moved by a batch's top-ups and prints, read and written once."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.row: RingkasanBlangko | None = None

    def apply(self, event: RecordedEvent) -> None:
        if self.row is None:
            self.row, _ = RingkasanBlangko.objects.using(self.alias).get_or_create(id=1)
        if event.event_type == "BlangkoDitambah":
            self.row.stok = event.payload["stok"]
        else:
            self.row.stok -= 1
            self.row.dicetak += 1
        self.row.diperbarui_pada = event.recorded_at

    def save(self) -> None:
        if self.row is not None:
            self.row.save(using=self.alias)
