"""Tables of the pajak context (write alias ``pajak``): the event store, subject keys and
idempotency records."""

from egov.eventstore.models import event_store_models

PajakEvent, PajakSubjectKey, PajakIdempotencyRecord = event_store_models(
    __name__, "pajak", prefix="Pajak"
)
from apps.pajak.read_models import (  # noqa: E402, F401 - registers the read tables (read_models.py)
    KepatuhanSPT,
    KodeBillingHarian,
    KodeBillingRingkas,
    PembayarBulanan,
    PenerimaanBulanan,
    PenerimaanHarian,
    StatusKewajiban,
    WajibPajakWilayah,
)
