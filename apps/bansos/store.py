"""The bansos context's event store (a payment round's instructions are appended many at a
time with the kernel's ``EventStore.save_many``)."""

from apps.bansos.domain import EVENTS
from apps.bansos.models import BansosEvent, BansosSubjectKey
from egov.eventstore.registry import EventRegistry
from egov.eventstore.store import EventStore

registry = EventRegistry(EVENTS)


# Schema 2 records the acting officer's principal id for the four-eyes rules; older events
# knew only the display name, so the rule falls back to comparing names for them.
@registry.upcaster("UsulanPenerimaDiajukan", 1)
def _diajukan_oleh_id(payload: dict) -> dict:
    return {**payload, "diajukan_oleh_id": ""}


# Schema 3 records the household's bank account (keyed hash) for the shared-account review;
# older proposals named none, as a household paid in cash at PT Pos does.
@registry.upcaster("UsulanPenerimaDiajukan", 2)
def _rekening_hash(payload: dict) -> dict:
    return {**payload, "rekening_hash": ""}


@registry.upcaster("SiklusPenyaluranDibuat", 1)
def _dibuat_oleh_id(payload: dict) -> dict:
    return {**payload, "dibuat_oleh_id": ""}


store = EventStore(
    context="bansos", event_model=BansosEvent, key_model=BansosSubjectKey, registry=registry
)
