from egov.eventstore.domain import is_erased
from egov.eventstore.projections import Projector
from egov.eventstore.store import RecordedEvent
from tests.kerneltest.models import CounterView, SeenEvent


class CounterProjector(Projector):
    name = "kerneltest.counters"
    context = "kerneltest"
    subscriptions = ("kerneltest",)
    read_models = (CounterView, SeenEvent)

    def handle(self, event: RecordedEvent) -> None:
        SeenEvent.objects.using(self.alias).get_or_create(
            event_id=event.event_id, defaults={"position": event.position}
        )
        if event.event_type == "DataPribadiDihapus":
            self._purge_owner(event.payload["subject_id"])
            return
        row, _ = CounterView.objects.using(self.alias).get_or_create(stream_id=event.stream_id)
        if event.version <= row.last_version:
            return  # already applied: idempotent
        if event.event_type == "PenghitungDibuat":
            name = event.payload["nama_pemilik"]
            row.owner = event.subject_id
            row.owner_name = "" if is_erased(name) else name
        elif event.event_type == "PenghitungDitambah":
            row.value += event.payload["jumlah"]
        row.last_version = event.version
        row.save()

    def _purge_owner(self, subject_id: str) -> None:
        CounterView.objects.using(self.alias).filter(owner=subject_id).update(owner_name="")
