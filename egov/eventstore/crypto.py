"""Crypto-shredding (UU PDP 27/2022): each data subject's personal fields are encrypted with
that subject's own key; destroying the key erases the data from every immutable event.

Keys are AES-256-GCM data keys, stored wrapped by a master key in the context's write database
(the subject key table). Each field is encrypted separately, bound (as associated data) to the
subject and the field name, so a ciphertext cannot be moved to another person or field.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from egov.db import atomic
from egov.eventstore.domain import ERASED

ENVELOPE_TAG = "_enc"
ALGORITHM = "aesgcm-v1"


class SubjectForgotten(Exception):
    """Personal data was given for a subject whose key was destroyed: erasure is final."""


def _master_key() -> bytes:
    configured = settings.PERSONAL_DATA_MASTER_KEY
    if configured:
        return base64.b64decode(configured)
    return hashlib.sha256(f"personal-data:{settings.SECRET_KEY}".encode()).digest()


def _seal(key: bytes, plaintext: bytes, associated: str) -> dict[str, str]:
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, associated.encode())
    return {
        ENVELOPE_TAG: ALGORITHM,
        "n": base64.b64encode(nonce).decode(),
        "c": base64.b64encode(ciphertext).decode(),
    }


def _open(key: bytes, envelope: dict[str, str], associated: str) -> bytes:
    nonce, ciphertext = base64.b64decode(envelope["n"]), base64.b64decode(envelope["c"])
    return AESGCM(key).decrypt(nonce, ciphertext, associated.encode())


def is_envelope(value: Any) -> bool:
    return isinstance(value, dict) and value.get(ENVELOPE_TAG) == ALGORITHM


class PersonalDataCodec:
    """Encrypts and decrypts the personal fields of payloads for one context's key table."""

    def __init__(self, key_model: type, alias: str):
        self.key_model = key_model
        self.alias = alias

    # --- keys ---------------------------------------------------------------------------
    def _wrap(self, subject_id: str, data_key: bytes) -> bytes:
        envelope = _seal(_master_key(), data_key, f"key:{subject_id}")
        return json.dumps(envelope).encode()

    def _unwrap(self, subject_id: str, wrapped: bytes) -> bytes:
        return _open(_master_key(), json.loads(bytes(wrapped)), f"key:{subject_id}")

    def _existing_key(self, subject_id: str) -> tuple[bool, bytes | None]:
        row = self.key_model.objects.using(self.alias).filter(subject_id=subject_id).first()
        if row is None:
            return False, None
        return True, (self._unwrap(subject_id, row.wrapped_key) if row.wrapped_key else None)

    def key_for_writing(self, subject_id: str) -> bytes:
        found, key = self._existing_key(subject_id)
        if found and key is None:
            raise SubjectForgotten(subject_id)
        if key is not None:
            return key
        key = AESGCM.generate_key(bit_length=256)
        try:
            with atomic(self.alias):  # savepoint: a concurrent first write may win the race
                self.key_model.objects.using(self.alias).create(
                    subject_id=subject_id, wrapped_key=self._wrap(subject_id, key)
                )
        except IntegrityError:
            return self.key_for_writing(subject_id)
        return key

    def destroy_key(self, subject_id: str) -> bool:
        """Crypto-shred: drop the key, keep the row (so no new key is ever silently issued)."""
        updated = (
            self.key_model.objects.using(self.alias)
            .filter(subject_id=subject_id)
            .update(wrapped_key=None, destroyed_at=timezone.now())
        )
        if not updated:
            self.key_model.objects.using(self.alias).create(
                subject_id=subject_id, wrapped_key=None, destroyed_at=timezone.now()
            )
        return bool(updated)

    # --- payloads -----------------------------------------------------------------------
    def encrypt(self, subject_id: str, payload: dict[str, Any], fields: tuple[str, ...]) -> dict:
        if not fields:
            return payload
        key = self.key_for_writing(subject_id)
        sealed = dict(payload)
        for name in fields:
            plaintext = json.dumps(payload.get(name)).encode()
            sealed[name] = _seal(key, plaintext, f"{subject_id}:{name}")
        return sealed

    def decrypt(
        self, subject_id: str, payload: dict[str, Any], keys: dict[str, bytes | None]
    ) -> dict:
        """Decrypt every sealed field; ``keys`` caches keys across a batch. Fields whose key is
        gone come back as ``ERASED`` (never an exception: old events must always load)."""
        if not any(is_envelope(v) for v in payload.values()):
            return payload
        if subject_id not in keys:
            keys[subject_id] = self._existing_key(subject_id)[1]
        key = keys[subject_id]
        opened = dict(payload)
        for name, value in payload.items():
            if is_envelope(value):
                opened[name] = self._open_field(key, value, f"{subject_id}:{name}")
        return opened

    @staticmethod
    def _open_field(key: bytes | None, envelope: dict, associated: str) -> Any:
        if key is None:
            return ERASED
        # A wrong tag means tampering or a wrong master key: that must be loud, not "erased".
        return json.loads(_open(key, envelope, associated))


def strip_personal(payload: dict[str, Any]) -> dict[str, Any]:
    """What another context may see of a payload: no personal field, sealed or not."""
    return {k: v for k, v in payload.items() if not is_envelope(v)}
