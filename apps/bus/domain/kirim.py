"""The sender's side of the envelope: what an agency's system does (``manage.py bus_send``
does it too, and the tests): hash the payload, sign the header, put them together."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from apps.bus.domain.amplop import canonical_json, header_of, payload_hash
from apps.bus.domain.kunci import tandatangani


def bungkus(
    *,
    private_key: Ed25519PrivateKey,
    agency: str,
    event_type: str,
    payload: dict[str, Any],
    user_id: str,
    case_reference: str,
    occurred_at: datetime,
    message_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """A signed envelope, ready to be sent as JSON."""
    envelope = {
        "message_id": str(message_id or uuid.uuid4()),
        "agency": agency,
        "event_type": event_type,
        "occurred_at": occurred_at.isoformat(),
        "user_id": user_id,
        "case_reference": case_reference,
        "payload": payload,
        "payload_hash": payload_hash(payload),
    }
    signature = tandatangani(private_key, canonical_json(header_of(envelope)))
    return envelope | {"signature": signature}
