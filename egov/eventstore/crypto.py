"""Crypto-shredding (UU PDP 27/2022): each data subject's personal fields are encrypted with
that subject's own key; destroying the key erases the data from every immutable event.

Keys are AES-256-GCM data keys, stored wrapped by a master key in the context's write database
(the subject key table). Each field is encrypted separately, bound (as associated data) to the
subject and the field name, so a ciphertext cannot be moved to another person or field.
Blobs with personal data kept outside the events (a permit PDF, an upload) are sealed with the
same key by ``seal_bytes`` (bound to their row) and opened by ``open_bytes``: destroying the key
erases them too.

Each wrapped key records the id of the master key that wrapped it, so the master key can be
rotated (``manage.py rotate_master_key``) by re-wrapping subject keys only: no event changes.
``wrap_data_key`` / ``unwrap_data_key`` are the only functions touching the master key: an
HSM or KMS (wrap/unwrap done inside the device, the master key never in this process) plugs
in there.

Within one unit of work (``unit_keys()``, entered by ``egov.unit_of_work.changing``) a
subject's unwrapped key, once read or created, is reused instead of fetched and unwrapped
again: the stream load reads it, the append that follows encrypts with it. Never beyond: the
cache lives and dies with the unit of work's transaction, an entry is dropped when a savepoint
it was read under is rolled back, and ``destroy_key`` drops the subject's entry before and
after destroying the key, so a destroyed key is never served from it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connections
from django.utils import timezone

from egov.db import run_statement
from egov.eventstore.domain import ERASED

ENVELOPE_TAG = "_enc"
ALGORITHM = "aesgcm-v1"


class SubjectForgotten(Exception):
    """Personal data was given for a subject whose key was destroyed: erasure is final."""


class MasterKeyUnavailable(Exception):
    """A subject key is wrapped under a master key that is not configured (neither
    ``PERSONAL_DATA_MASTER_KEY`` nor ``PERSONAL_DATA_MASTER_KEY_PREVIOUS``)."""


def master_key_id(key: bytes) -> str:
    """Public name of a master key (first 8 hex of its SHA-256): says which key wrapped a
    subject key without revealing anything usable about it."""
    return hashlib.sha256(key).hexdigest()[:8]


def decode_master_key(value: str) -> bytes:
    key = base64.b64decode(value, validate=True)
    if len(key) != 32:
        raise ValueError(f"a master key is 32 bytes, not {len(key)}")
    return key


def active_master_key() -> bytes:
    """The key that wraps every new subject key (configured; never derived)."""
    return decode_master_key(settings.PERSONAL_DATA_MASTER_KEY)


def readable_master_keys() -> dict[str, bytes]:
    """Every master key that may unwrap, by id: the active one and, during a rotation window,
    the previous one."""
    configured = (settings.PERSONAL_DATA_MASTER_KEY, settings.PERSONAL_DATA_MASTER_KEY_PREVIOUS)
    keys = [decode_master_key(value) for value in configured if value]
    return {master_key_id(key): key for key in keys}


def wrap_data_key(*, master_key: bytes, subject_id: str, data_key: bytes) -> bytes:
    """Seal a subject's data key under the master key (HSM/KMS seam: "encrypt" there)."""
    return json.dumps(_seal(master_key, data_key, f"key:{subject_id}")).encode()


def unwrap_data_key(*, master_key: bytes, subject_id: str, wrapped: bytes) -> bytes:
    """Open a wrapped data key (HSM/KMS seam: "decrypt" there). A wrong master key or a key
    moved to another subject fails the GCM tag: ``InvalidTag``."""
    return _open(master_key, json.loads(bytes(wrapped)), f"key:{subject_id}")


def _seal_raw(key: bytes, plaintext: bytes, associated: str) -> tuple[bytes, bytes]:
    nonce = os.urandom(12)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, associated.encode())


def _open_raw(key: bytes, nonce: bytes, ciphertext: bytes, associated: str) -> bytes:
    return AESGCM(key).decrypt(nonce, ciphertext, associated.encode())


def _seal(key: bytes, plaintext: bytes, associated: str) -> dict[str, str]:
    nonce, ciphertext = _seal_raw(key, plaintext, associated)
    return {
        ENVELOPE_TAG: ALGORITHM,
        "n": base64.b64encode(nonce).decode(),
        "c": base64.b64encode(ciphertext).decode(),
    }


def _open(key: bytes, envelope: dict[str, str], associated: str) -> bytes:
    nonce, ciphertext = base64.b64decode(envelope["n"]), base64.b64decode(envelope["c"])
    return _open_raw(key, nonce, ciphertext, associated)


# A sealed blob (a document, an upload) is binary, not a JSON envelope: base64 would add a
# third to a 5 MiB file. Same AEAD, same key: magic, 12-byte nonce, ciphertext with its tag.
BLOB_MAGIC = b"egov-blob:aesgcm-v1\n"


class NotSealed(ValueError):
    """Bytes given to ``open_bytes`` are not a sealed blob (a clear file left behind?)."""


def is_sealed_blob(blob: bytes) -> bool:
    return bytes(blob[: len(BLOB_MAGIC)]) == BLOB_MAGIC


def is_envelope(value: Any) -> bool:
    return isinstance(value, dict) and value.get(ENVELOPE_TAG) == ALGORITHM


# --- unwrapped keys cached for one unit of work -----------------------------------------------
class _UnitKeys:
    """(alias, subject id) -> (the savepoints open when the key was read, the key)."""

    __slots__ = ("entries",)

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], tuple[tuple, bytes]] = {}


_unit_keys: ContextVar[_UnitKeys | None] = ContextVar("egov_unit_subject_keys", default=None)


@contextmanager
def unit_keys() -> Iterator[None]:
    """Cache unwrapped subject keys for the block: one unit of work, inside its transaction.
    Nested blocks share the outermost one's cache (so a ``destroy_key`` anywhere in it drops
    the entry for all); it is discarded when the outermost block exits."""
    if _unit_keys.get() is not None:
        yield
        return
    token = _unit_keys.set(_UnitKeys())
    try:
        yield
    finally:
        _unit_keys.reset(token)


KEY_CHUNK = 500  # subject ids per IN (...) when keys are fetched for a batch


class PersonalDataCodec:
    """Encrypts and decrypts the personal fields of payloads for one context's key table."""

    def __init__(self, key_model: type, alias: str):
        self.key_model = key_model
        self.alias = alias
        self._sql: dict[str, str] = {}

    # --- the unit of work's cache ---------------------------------------------------------
    def _cached(self, subject_id: str) -> bytes | None:
        unit = _unit_keys.get()
        if unit is None:
            return None
        entry = unit.entries.get((self.alias, subject_id))
        if entry is None:
            return None
        scope, key = entry
        connection = connections[self.alias]
        # Read under savepoints that are still open (a rolled-back one may have created the
        # row); never outside the transaction the unit of work runs in.
        if (
            connection.in_atomic_block
            and not connection.needs_rollback
            and tuple(connection.savepoint_ids[: len(scope)]) == scope
        ):
            return key
        del unit.entries[self.alias, subject_id]
        return None

    def _remember(self, subject_id: str, key: bytes | None) -> None:
        unit = _unit_keys.get()
        if unit is None or key is None:
            return
        connection = connections[self.alias]
        if connection.in_atomic_block and not connection.needs_rollback:
            unit.entries[self.alias, subject_id] = (tuple(connection.savepoint_ids), key)

    def _drop_cached(self, subject_id: str) -> None:
        unit = _unit_keys.get()
        if unit is not None:
            unit.entries.pop((self.alias, subject_id), None)

    # --- keys ---------------------------------------------------------------------------
    @staticmethod
    def _unwrap(
        subject_id: str, wrapped: bytes, wrapped_by: str | None, master_keys: dict[str, bytes]
    ) -> bytes:
        if wrapped_by is not None:
            if wrapped_by not in master_keys:
                raise MasterKeyUnavailable(
                    f"subject key of {subject_id} is wrapped by master key {wrapped_by}, "
                    f"which is not configured (configured: {', '.join(master_keys)})"
                )
            return unwrap_data_key(
                master_key=master_keys[wrapped_by], subject_id=subject_id, wrapped=wrapped
            )
        # Wrapped before master key ids were recorded: whichever configured key opens it.
        for master_key in master_keys.values():
            try:
                return unwrap_data_key(
                    master_key=master_key, subject_id=subject_id, wrapped=wrapped
                )
            except InvalidTag:
                continue
        raise MasterKeyUnavailable(f"no configured master key opens the key of {subject_id}")

    def table(self) -> str:
        """The key table's name, quoted for SQL."""
        return connections[self.alias].ops.quote_name(self.key_model._meta.db_table)

    def _key_rows(self, subject_ids: list[str]) -> dict[str, tuple[Any, str | None]]:
        """subject id -> (wrapped key or None if destroyed, master key id) for the rows found:
        one query per ``KEY_CHUNK`` subjects, no model instances."""

        found: dict[str, tuple[Any, str | None]] = {}
        for start in range(0, len(subject_ids), KEY_CHUNK):
            chunk = subject_ids[start : start + KEY_CHUNK]
            sql = (
                "SELECT subject_id, wrapped_key, master_key_id "  # noqa: S608 - quoted name
                f"FROM {self.table()} WHERE subject_id IN ({', '.join(['%s'] * len(chunk))})"
            )
            rows = run_statement(self.alias, sql, chunk, prepare=len(chunk) == 1)
            found.update((row[0], (row[1], row[2])) for row in rows)
        return found

    def adopt(self, subject_id: str, found: bool, wrapped: Any, wrapped_by: str | None):
        """The key of a key row read along with something else (the stream's events): None if
        there is none or it was destroyed. A live key is remembered for the unit of work."""
        if not found or wrapped is None:
            return None
        key = self._cached(subject_id)
        if key is None:
            key = self._unwrap(subject_id, bytes(wrapped), wrapped_by, readable_master_keys())
            self._remember(subject_id, key)
        return key

    def _existing_key(self, subject_id: str) -> tuple[bool, bytes | None]:
        key = self._cached(subject_id)
        if key is not None:
            return True, key
        rows = self._key_rows([subject_id])
        if subject_id not in rows:
            return False, None
        return True, self.adopt(subject_id, True, *rows[subject_id])

    def prefetch(self, subject_ids: Iterable[str], keys: dict[str, bytes | None]) -> None:
        """Fill ``keys`` (a batch's cache, see ``decrypt``) for every subject not in it yet,
        with one query per ``KEY_CHUNK`` subjects instead of one per subject."""
        missing = sorted({s for s in subject_ids if s not in keys})
        if not missing:
            return
        rows = self._key_rows(missing)
        for subject_id in missing:
            row = rows.get(subject_id)
            keys[subject_id] = None if row is None else self.adopt(subject_id, True, *row)

    def key_for_writing(self, subject_id: str) -> bytes:
        """The subject's key, created (and stored wrapped) on their first personal data;
        ``SubjectForgotten`` once it was destroyed."""
        key = self._cached(subject_id)
        if key is not None:
            return key
        key, params = self.new_key(subject_id)
        if connections[self.alias].vendor == "postgresql":
            created, row = self._create_or_read_pg(subject_id, params)
        else:
            created, row = self._create_or_read(subject_id, params)
        if not created:
            if row is None:
                # A concurrent first write committed the row after this statement's snapshot:
                # read it again (a new statement sees it).
                row = self._key_rows([subject_id]).get(subject_id)
                if row is None:
                    return self.key_for_writing(subject_id)
            return self.key_from_row(subject_id, True, *row)
        self._remember(subject_id, key)
        return key

    def new_key(self, subject_id: str) -> tuple[bytes, list]:
        """A fresh key for a subject who may have none yet, and its key row's parameters
        (wrapped by the active master key) for ``insert_sql``: nothing is stored yet."""
        key = AESGCM.generate_key(bit_length=256)
        master_key = active_master_key()
        wrapped = wrap_data_key(master_key=master_key, subject_id=subject_id, data_key=key)
        return key, self._new_row(subject_id, wrapped, master_key_id(master_key))

    def has_key_in_unit(self, subject_id: str) -> bool:
        """Whether the unit of work already holds the subject's key (read or created)."""
        return self._cached(subject_id) is not None

    def key_from_row(
        self, subject_id: str, found: bool, wrapped: Any, wrapped_by: str | None
    ) -> bytes:
        """The key for writing, from the subject's key row as an append read it
        (``EventStore._insert``): ``SubjectForgotten`` if it was destroyed; not found (it
        committed after that statement's snapshot): as ``key_for_writing``."""
        if not found:
            return self.key_for_writing(subject_id)
        if wrapped is None:
            raise SubjectForgotten(subject_id)
        key = self._unwrap(subject_id, bytes(wrapped), wrapped_by, readable_master_keys())
        self._remember(subject_id, key)
        return key

    def stored_with_events(self, subject_id: str, key: bytes) -> None:
        """A key from ``new_key`` was stored by the statement that appended its events: the
        unit of work may use it from now on."""
        self._remember(subject_id, key)

    def _new_row(self, subject_id: str, wrapped: bytes, wrapped_by: str) -> list:
        connection = connections[self.alias]
        values = {
            "subject_id": subject_id,
            "wrapped_key": wrapped,
            "master_key_id": wrapped_by,
            "created_at": timezone.now(),
        }
        meta = self.key_model._meta
        return [meta.get_field(n).get_db_prep_save(v, connection) for n, v in values.items()]

    def insert_sql(self) -> str:
        """Insert one key row (``new_key``'s parameters) unless the subject has one."""
        return (
            f"INSERT INTO {self.table()} "  # noqa: S608 - quoted name
            "(subject_id, wrapped_key, master_key_id, created_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (subject_id) DO NOTHING"
        )

    def _create_or_read_pg(self, subject_id: str, params: list):
        """One round trip: insert the new key row unless the subject has one, and read the
        row that was there (its snapshot predates the insert, so exactly one of the two
        answers, or neither if a concurrent first write committed meanwhile)."""
        sql = self._sql.get("create_or_read")
        if sql is None:
            sql = self._sql["create_or_read"] = (
                f"WITH created AS ({self.insert_sql()} RETURNING subject_id) "  # noqa: S608
                "SELECT true, NULL::bytea, NULL FROM created UNION ALL "
                f"SELECT false, wrapped_key, master_key_id FROM {self.table()} "
                "WHERE subject_id = %s"
            )

        answer = run_statement(self.alias, sql, [*params, subject_id], prepare=True)
        if not answer:
            return False, None
        created, wrapped, wrapped_by = answer[0]
        return bool(created), None if created else (wrapped, wrapped_by)

    def _create_or_read(self, subject_id: str, params: list):
        row = self._key_rows([subject_id]).get(subject_id)
        if row is not None:
            return False, row
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.insert_sql(), params)
            return cursor.rowcount == 1, None

    def destroy_key(self, subject_id: str) -> bool:
        """Crypto-shred: drop the key, keep the row (so no new key is ever silently issued)."""
        self._drop_cached(subject_id)
        try:
            updated = (
                self.key_model.objects.using(self.alias)
                .filter(subject_id=subject_id)
                .update(wrapped_key=None, master_key_id=None, destroyed_at=timezone.now())
            )
            if not updated:
                self.key_model.objects.using(self.alias).create(
                    subject_id=subject_id, wrapped_key=None, destroyed_at=timezone.now()
                )
        finally:
            self._drop_cached(subject_id)
        return bool(updated)

    def rewrap_all(self, *, new_master_key: bytes, batch_size: int = 500) -> int:
        """Re-wrap every live subject key not yet under ``new_master_key``; returns how many.

        Resumable: rows already under the new key are skipped, so an interrupted rotation is
        finished by running it again. Each row is replaced only if it is still wrapped by the
        key it was read under (compare-and-set), so a key destroyed meanwhile stays destroyed.
        """
        new_id = master_key_id(new_master_key)
        master_keys = {**readable_master_keys(), new_id: new_master_key}
        rows = self.key_model.objects.using(self.alias)
        pending = (
            rows.filter(wrapped_key__isnull=False)
            .exclude(master_key_id=new_id)
            .order_by("subject_id")
        )
        done, after = 0, ""
        while batch := list(pending.filter(subject_id__gt=after)[:batch_size]):
            for row in batch:
                done += self._rewrap_one(row, new_master_key, new_id, master_keys)
            after = batch[-1].subject_id
        return done

    def _rewrap_one(
        self, row, new_master_key: bytes, new_id: str, master_keys: dict[str, bytes]
    ) -> int:
        data_key = self._unwrap(row.subject_id, row.wrapped_key, row.master_key_id, master_keys)
        rewrapped = wrap_data_key(
            master_key=new_master_key, subject_id=row.subject_id, data_key=data_key
        )
        unchanged = self.key_model.objects.using(self.alias).filter(
            subject_id=row.subject_id, wrapped_key__isnull=False
        )
        if row.master_key_id is None:
            unchanged = unchanged.filter(master_key_id__isnull=True)
        else:
            unchanged = unchanged.filter(master_key_id=row.master_key_id)
        return unchanged.update(wrapped_key=rewrapped, master_key_id=new_id)

    # --- payloads -----------------------------------------------------------------------
    def encrypt(
        self,
        subject_id: str,
        payload: dict[str, Any],
        fields: tuple[str, ...],
        key: bytes | None = None,
    ) -> dict:
        """``fields`` of ``payload`` sealed with ``key``, or else the subject's stored key
        (created on their first personal data)."""
        if not fields:
            return payload
        key = key or self.key_for_writing(subject_id)
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

    # --- blobs (documents, uploads) kept outside the events -----------------------------
    @staticmethod
    def _blob_associated(subject_id: str, associated: str) -> str:
        # "blob:" keeps a blob's associated data apart from any payload field's
        return f"{subject_id}:blob:{associated}"

    def seal_bytes(self, subject_id: str, data: bytes, associated: str) -> bytes:
        """``data`` sealed with the subject's key and bound to ``associated`` (the row it is
        stored in, e.g. ``"izin:lampiran:<id>"``): moved to another row or person, it no
        longer opens. ``SubjectForgotten`` if the subject's key was destroyed."""
        key = self.key_for_writing(subject_id)
        nonce, ciphertext = _seal_raw(
            key, bytes(data), self._blob_associated(subject_id, associated)
        )
        return BLOB_MAGIC + nonce + ciphertext

    def open_bytes(self, subject_id: str, blob: bytes, associated: str) -> bytes | None:
        """The clear bytes of a blob sealed by ``seal_bytes``, or None once the subject's key
        is destroyed (erased). A blob moved to another row or subject, or altered, fails the
        GCM tag (``InvalidTag``): that is tampering, never "erased"."""
        found, key = self._existing_key(subject_id)
        if found and key is None:
            return None
        if key is None:
            raise InvalidTag(f"no key was ever issued for {subject_id}")
        blob = bytes(blob)
        if not is_sealed_blob(blob):
            raise NotSealed(associated)
        body = blob[len(BLOB_MAGIC) :]
        return _open_raw(key, body[:12], body[12:], self._blob_associated(subject_id, associated))

    @staticmethod
    def _open_field(key: bytes | None, envelope: dict, associated: str) -> Any:
        if key is None:
            return ERASED
        # A wrong tag means tampering or a wrong master key: that must be loud, not "erased".
        return json.loads(_open(key, envelope, associated).decode())  # sealed as UTF-8 JSON


def strip_personal(payload: dict[str, Any]) -> dict[str, Any]:
    """What another context may see of a payload: no personal field, sealed or not. A payload
    without any object value (most events) has none and is returned as it is."""
    if not any(isinstance(v, dict) for v in payload.values()):
        return payload
    return {k: v for k, v in payload.items() if not is_envelope(v)}
