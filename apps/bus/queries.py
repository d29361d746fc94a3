"""Read side of the bus: the proof of delivery of one message, from the message log.

The proof is what a third party needs to check, offline, that the agency sent this envelope
and egov logged it: the signed header exactly as signed, its canonical bytes, the signature,
the agency's public key and its fingerprint, when egov received it and the events it caused.
It holds no personal data (no payload; the subject only as a keyed hash, and not even that).
The log itself is append-only (database triggers) and covered by the audit context's hash
chain like every context's feed.
"""

from __future__ import annotations

import uuid
from typing import Any

from apps.bus.domain.amplop import canonical_json
from apps.bus.models import BusEvent
from apps.bus.store import store

ALGORITMA = "Ed25519"
CARA_VERIFIKASI = (
    "Verifikasi tanda tangan Ed25519 (signature, base64) atas byte UTF-8 dari 'kanonik' "
    "dengan kunci publik instansi; 'kanonik' adalah JSON kanonik dari 'header' (kunci terurut, "
    "tanpa spasi). payload_hash = SHA-256 JSON kanonik payload yang dikirim."
)


def bukti_pengiriman(message_id: uuid.UUID) -> dict[str, Any] | None:
    rows = BusEvent.objects.using(store.alias).filter(stream_id=message_id).order_by("version")
    events = store.decode_rows(rows, decrypt=False)  # the log entry has no personal field
    if not events:
        return None
    log, caused = events[0], events[1:]
    entry = log.payload
    return {
        "message_id": str(message_id),
        "header": entry["header"],
        "signature": entry["signature"],
        "kanonik": canonical_json(entry["header"]).decode(),
        "algoritma": ALGORITMA,
        "kunci_publik": entry["kunci_publik"],
        "sidik_kunci": entry["sidik_kunci"],
        "diterima_pada": entry["diterima_pada"],
        "pintu": entry["pintu"],
        "event_log": {
            "event_id": str(log.event_id),
            "posisi": log.position,
            "dicatat_pada": log.recorded_at.isoformat(),
        },
        "peristiwa": [{"event_id": str(e.event_id), "event_type": e.event_type} for e in caused],
        "cara_verifikasi": CARA_VERIFIKASI,
    }
