"""Tables of the bansos context (write alias ``bansos``): the event store, subject keys and
idempotency records."""

from egov.eventstore.models import event_store_models

BansosEvent, BansosSubjectKey, BansosIdempotencyRecord = event_store_models(
    __name__, "bansos", prefix="Bansos"
)
