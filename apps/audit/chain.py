"""The hash chain and its Ed25519 seals (X-Road's message log is the model: a third party
holding the public key can check a sealed head)."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

GENESIS = "0" * 64
FIELDS = (
    "nomor",
    "konteks",
    "event_id",
    "event_type",
    "stream_id",
    "subject_id",
    "aktor",
    "officer_id",
    "correlation_id",
    "recorded_at",
)


def record_hash(values: dict, previous: str) -> str:
    """SHA-256 over the record's content (canonical JSON) and the previous record's hash."""
    content = {name: str(values[name]) for name in FIELDS}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


@cache
def signing_key() -> Ed25519PrivateKey:
    configured = settings.AUDIT_SIGNING_KEY
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured))
    # Development only: derived from SECRET_KEY. Production sets AUDIT_SIGNING_KEY.
    seed = hashlib.sha256(f"audit-signing:{settings.SECRET_KEY}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_b64() -> str:
    raw = signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def seal_message(nomor: int, head_hash: str) -> bytes:
    return f"egov-audit:{nomor}:{head_hash}".encode()


def sign(nomor: int, head_hash: str) -> str:
    return base64.b64encode(signing_key().sign(seal_message(nomor, head_hash))).decode()


def signature_valid(nomor: int, head_hash: str, signature: str) -> bool:
    try:
        signing_key().public_key().verify(
            base64.b64decode(signature), seal_message(nomor, head_hash)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
