"""The bus's own event: one entry of the message log.

``PesanDiterima`` is the first event of the stream named by the envelope's ``message_id``
(one stream per message: the unique (stream, version) key makes a message id unique even
under concurrent deliveries). It keeps the signed header exactly as signed (``header``), the
signature, the public key it verified with and the arrival time, but not the clear payload:
the payload carries the NIK, which egov keeps only as a keyed hash (the routed event, the
second event of the stream, holds the payload's facts). ``payload_hash`` in the signed header
still binds the payload, so the proof verifies offline for ever, also after a citizen's data
is erased.
"""

from __future__ import annotations

from dataclasses import dataclass

from egov.eventstore.domain import DomainEvent


@dataclass(frozen=True)
class PesanDiterima(DomainEvent):
    subject_field = "subjek"

    header: dict[str, str]  # the signed header, exactly as signed (amplop.HEADER_FIELDS)
    signature: str
    kunci_publik: str  # the agency's Ed25519 key it verified with (raw, base64)
    sidik_kunci: str  # hex SHA-256 of that key
    diterima_pada: str  # arrival (ISO 8601, UTC)
    pintu: str  # "http" or "nats"
    subjek: str  # pseudonymous subject (NIK or KK hash) the message is about
