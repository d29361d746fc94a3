"""The hash chain and its Ed25519 seals (X-Road's message log is the model: a third party
holding the public key can check a sealed head).

Signing keys rotate (``manage.py rotate_audit_key``): each seal records the id of the key that
signed it, and the public half of every key ever used is kept, by id, in the audit database
(``KunciAudit``) and published at /api/v1/audit/kunci-publik/. ``sign`` is the only function
using the private key: an HSM or KMS signer plugs in there."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
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
def _private_key(configured: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured, validate=True))


def signing_key() -> Ed25519PrivateKey:
    """The active key: ``AUDIT_SIGNING_KEY`` as configured (never derived from anything)."""
    return _private_key(settings.AUDIT_SIGNING_KEY)


def public_key_of(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_key_b64() -> str:
    return public_key_of(signing_key())


def public_key_for(private_key: str) -> str:
    """The public half (base64) of a configured-style private key (base64, 32 raw bytes)."""
    return public_key_of(_private_key(private_key))


def key_id_of(public_key: str) -> str:
    """A key's id: the first 16 hex of SHA-256 over its raw public bytes. Anyone can recompute
    it from the published key, so a swapped public key cannot keep its id."""
    return hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:16]


def active_key_id() -> str:
    return key_id_of(public_key_b64())


def seal_message(nomor: int, head_hash: str) -> bytes:
    return f"egov-audit:{nomor}:{head_hash}".encode()


def sign(nomor: int, head_hash: str) -> str:
    return base64.b64encode(signing_key().sign(seal_message(nomor, head_hash))).decode()


def signature_valid(nomor: int, head_hash: str, signature: str, *, public_key: str) -> bool:
    """Does ``signature`` seal ``nomor:head_hash`` under ``public_key`` (base64, raw 32 bytes)?"""
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)).verify(
            base64.b64decode(signature), seal_message(nomor, head_hash)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
