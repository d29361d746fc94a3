"""Keyed hashes: look a NIK up without storing it in clear (UU PDP; no raw NIK in indexes)."""

import hashlib
import hmac

from django.conf import settings


def _pseudonym_key() -> bytes:
    """The HMAC key: SHA-256 of the configured ``PSEUDONYM_KEY`` (its own secret, never derived
    from another). Hashing keeps subject ids of deployments that configured a free-form string
    unchanged, and gives a fixed-size key whatever the string's length."""
    return hashlib.sha256(settings.PSEUDONYM_KEY.encode()).digest()


def keyed_hash(value: str, *, purpose: str = "nik") -> str:
    """HMAC-SHA256 of ``value`` (hex); ``purpose`` separates domains: a NIK hash is no KK hash."""
    message = f"{purpose}:{value.strip()}".encode()
    return hmac.new(_pseudonym_key(), message, hashlib.sha256).hexdigest()


def mask_nik(nik: str) -> str:
    """``3273015708850001`` -> ``3273**********01``: enough for a person to recognise it."""
    return f"{nik[:4]}{'*' * (len(nik) - 6)}{nik[-2:]}" if len(nik) > 6 else "*" * len(nik)
