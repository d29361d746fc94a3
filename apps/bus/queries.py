"""Read side of the bus: the proof of delivery of one message, from its projection of the
message log (``BuktiPesan``, projector ``bus.bukti``).

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
from apps.bus.read_models import BuktiPesan

ALGORITMA = "Ed25519"
CARA_VERIFIKASI = (
    "Verifikasi tanda tangan Ed25519 (signature, base64) atas byte UTF-8 dari 'kanonik' "
    "dengan kunci publik instansi; 'kanonik' adalah JSON kanonik dari 'header' (kunci terurut, "
    "tanpa spasi). payload_hash = SHA-256 JSON kanonik payload yang dikirim."
)


def bukti_pengiriman(message_id: uuid.UUID) -> dict[str, Any] | None:
    row = BuktiPesan.objects.filter(message_id=message_id).first()
    if row is None:
        return None
    return {
        "message_id": str(message_id),
        "header": row.header,
        "signature": row.signature,
        "kanonik": canonical_json(row.header).decode(),
        "algoritma": ALGORITMA,
        "kunci_publik": row.kunci_publik,
        "sidik_kunci": row.sidik_kunci,
        "diterima_pada": row.diterima_pada,
        "pintu": row.pintu,
        "event_log": {
            "event_id": str(row.log_event_id),
            "posisi": row.log_posisi,
            "dicatat_pada": row.log_dicatat_pada.isoformat(),
        },
        "peristiwa": row.peristiwa,
        "cara_verifikasi": CARA_VERIFIKASI,
    }
