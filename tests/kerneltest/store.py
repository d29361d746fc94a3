from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore
from tests.kerneltest.domain import PenghitungDibuat, PenghitungDitambah
from tests.kerneltest.models import KernelEvent, KernelSubjectKey

registry = EventRegistry([PenghitungDibuat, PenghitungDitambah])


@registry.upcaster("PenghitungDitambah", from_version=1)
def _v1_had_no_note(payload: dict) -> dict:
    """Schema v1 was ``{"n": 3}``; v2 is ``{"jumlah": 3, "catatan": ""}``."""
    return {"jumlah": payload["n"], "catatan": ""}


store = EventStore(
    context="kerneltest", event_model=KernelEvent, key_model=KernelSubjectKey, registry=registry
)
