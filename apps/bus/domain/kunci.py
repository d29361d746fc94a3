"""Ed25519 keys and signatures of the agencies (the ``cryptography`` library).

A public key is accepted as PEM (``-----BEGIN PUBLIC KEY-----``, SubjectPublicKeyInfo) or as
the raw 32 bytes in base64; egov keeps and shows it as raw base64, with its fingerprint (hex
SHA-256 of the raw bytes) so a third party can check it is the key the agency published.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from apps.bus.domain.amplop import canonical_json
from egov.principals import gettext_noop

MSG_KUNCI_TIDAK_SAH = gettext_noop(
    "Kunci publik harus Ed25519: PEM atau 32 bita mentah dalam base64."
)


class KunciTidakSah(ValueError):
    pass


def muat_kunci_publik(text: str) -> Ed25519PublicKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error, TypeError):
        raise KunciTidakSah(MSG_KUNCI_TIDAK_SAH) from None
    if not isinstance(key, Ed25519PublicKey):
        raise KunciTidakSah(MSG_KUNCI_TIDAK_SAH)
    return key


def mentah_base64(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sidik(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(base64.b64decode(mentah_base64(key))).hexdigest()


def sah(key: Ed25519PublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def tandatangani(private_key: Ed25519PrivateKey, message: bytes) -> str:
    return base64.b64encode(private_key.sign(message)).decode()


def buat_kunci() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def pem_privat(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def muat_kunci_privat(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KunciTidakSah(MSG_KUNCI_TIDAK_SAH)
    return key


def verifikasi_bukti(bukti: dict, kunci_publik: str) -> bool:
    """Offline check of a proof of delivery (``GET /api/v1/bus/bukti/<id>/``) with the
    agency's public key obtained from the agency itself: the signature covers the header's
    canonical bytes, and the proof's ``kanonik`` is exactly those bytes."""
    message = canonical_json(bukti["header"])
    if bukti.get("kanonik") is not None and bukti["kanonik"].encode() != message:
        return False
    return sah(muat_kunci_publik(kunci_publik), message, bukti["signature"])
