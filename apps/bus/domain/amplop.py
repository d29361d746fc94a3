"""The envelope (X-Road-like) an agency sends, and its canonical form.

Fields (a JSON object; names are the wire format shared with the agencies' systems):

=================  ===========================================================================
``message_id``     UUID chosen by the sender; the idempotency key (sent again: first answer)
``agency``         the sending agency's code, as registered in egov (``Instansi.kode``)
``event_type``     ``KematianDicatat``, ``KKDiupdate`` or ``NISNDiverifikasi``
``occurred_at``    when it happened at the agency: ISO 8601 with a UTC offset
``user_id``        the agency's officer or system user who sent it
``case_reference`` the agency's case number (no personal data: it is kept in clear)
``payload``        the event's data (a JSON object; the NIK in clear)
``payload_hash``   hex SHA-256 of the canonical JSON of ``payload``
``signature``      base64 Ed25519 signature of the canonical JSON of the *header*
=================  ===========================================================================

**Canonical JSON** (what is hashed and signed): ``json.dumps(value, sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` encoded as UTF-8 — keys sorted, no whitespace,
non-ASCII characters as themselves; strings, integers, booleans, null, lists and objects only
(no floats: their text differs between languages). The **header** is every field except
``payload`` and ``signature``; the payload is bound to it by ``payload_hash``. So the signature
still verifies once the clear payload is gone (the bus never keeps it, see ``README.md``),
exactly as X-Road's message log proves a request by its hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apps.bus.domain.galat import MSG_BUKAN_OBJEK, MSG_JENIS_TIDAK_DIKENAL, AmplopTidakSah
from egov.principals import gettext_noop

HEADER_FIELDS = (
    "message_id",
    "agency",
    "event_type",
    "occurred_at",
    "user_id",
    "case_reference",
    "payload_hash",
)
FIELDS = (*HEADER_FIELDS, "payload", "signature")
MAX_TEXT = 200
KODE_INSTANSI = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")

MSG_WAJIB = gettext_noop("Kolom ini wajib diisi.")
MSG_TEKS = gettext_noop("Harus berupa teks tidak kosong, paling banyak 200 karakter.")
MSG_UUID = gettext_noop("Harus berupa UUID.")
MSG_KODE = gettext_noop("Kode instansi: huruf kecil, angka, '-' atau '_' (2-40 karakter).")
MSG_WAKTU = gettext_noop(
    "Harus berupa waktu ISO 8601 dengan zona waktu (mis. 2026-01-31T10:00:00+07:00)."
)
MSG_HASH = gettext_noop("Harus berupa SHA-256 heksadesimal (64 karakter kecil).")
MSG_TANDA_TANGAN = gettext_noop("Harus berupa tanda tangan Ed25519 dalam base64.")
MSG_KOLOM_ASING = gettext_noop("Kolom tidak dikenal dalam amplop.")
MSG_FLOAT = gettext_noop("Bilangan pecahan tidak diizinkan dalam JSON kanonik; kirim sebagai teks.")


def canonical_json(value: Any) -> bytes:
    """The one byte string a value is hashed and signed as (see the module docstring)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


@dataclass(frozen=True)
class Amplop:
    """An envelope whose shape is valid (not yet authenticated)."""

    message_id: uuid.UUID
    agency: str
    event_type: str
    occurred_at: str  # kept exactly as sent: the signature covers these characters
    user_id: str
    case_reference: str
    payload: dict[str, Any]
    payload_hash: str
    signature: str

    def header(self) -> dict[str, str]:
        values = {name: getattr(self, name) for name in HEADER_FIELDS}
        return values | {"message_id": str(self.message_id)}

    def signed_bytes(self) -> bytes:
        return canonical_json(self.header())


def header_of(values: dict[str, Any]) -> dict[str, str]:
    """The header of an envelope given as a mapping (the proof rebuilds it so)."""
    return {name: values[name] for name in HEADER_FIELDS}


def baca_amplop(data: Any, *, jenis_dikenal: frozenset[str]) -> Amplop:
    """The envelope, or ``AmplopTidakSah`` naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise AmplopTidakSah("amplop", MSG_BUKAN_OBJEK)
    for name in FIELDS:
        if name not in data or data[name] is None:
            raise AmplopTidakSah(name, MSG_WAJIB)
    for name in sorted(set(data) - set(FIELDS)):
        raise AmplopTidakSah(name, MSG_KOLOM_ASING)
    for name in ("agency", "event_type", "occurred_at", "user_id", "case_reference"):
        _teks(data, name)
    _periksa(data, jenis_dikenal)
    _tanpa_float(data["payload"], "payload")
    return Amplop(
        message_id=uuid.UUID(data["message_id"]),
        agency=data["agency"],
        event_type=data["event_type"],
        occurred_at=data["occurred_at"],
        user_id=data["user_id"],
        case_reference=data["case_reference"],
        payload=data["payload"],
        payload_hash=data["payload_hash"],
        signature=data["signature"],
    )


def _teks(data: dict, name: str) -> None:
    value = data[name]
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise AmplopTidakSah(name, MSG_TEKS)


def _periksa(data: dict, jenis_dikenal: frozenset[str]) -> None:
    try:
        uuid.UUID(data["message_id"])
    except (ValueError, TypeError, AttributeError):
        raise AmplopTidakSah("message_id", MSG_UUID) from None
    if not KODE_INSTANSI.match(data["agency"]):
        raise AmplopTidakSah("agency", MSG_KODE)
    if data["event_type"] not in jenis_dikenal:
        raise AmplopTidakSah("event_type", MSG_JENIS_TIDAK_DIKENAL)
    try:
        moment = datetime.fromisoformat(data["occurred_at"])
    except ValueError:
        raise AmplopTidakSah("occurred_at", MSG_WAKTU) from None
    if moment.tzinfo is None:
        raise AmplopTidakSah("occurred_at", MSG_WAKTU)
    if not isinstance(data["payload"], dict):
        raise AmplopTidakSah("payload", MSG_BUKAN_OBJEK)
    if not isinstance(data["payload_hash"], str) or not HEX64.match(data["payload_hash"]):
        raise AmplopTidakSah("payload_hash", MSG_HASH)
    signature = data["signature"]
    if not isinstance(signature, str) or not 80 <= len(signature) <= 100:
        raise AmplopTidakSah("signature", MSG_TANDA_TANGAN)


def _tanpa_float(value: Any, path: str) -> None:
    if isinstance(value, float):
        raise AmplopTidakSah(path, MSG_FLOAT)
    if isinstance(value, dict):
        for key, item in value.items():
            _tanpa_float(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _tanpa_float(item, f"{path}[{index}]")
