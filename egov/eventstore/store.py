"""The event store of one context: append with optimistic concurrency, load a stream,
forget a data subject. Each context creates one ``EventStore`` and registers it in its
``AppConfig.ready()``; the kernel's feed and projectors find it by context name."""

from __future__ import annotations

import json
import uuid
from collections import namedtuple
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from json.scanner import make_scanner
from typing import Any

from django.db import IntegrityError, connections
from django.db.models import JSONField, Max
from django.utils import timezone

from egov.db import atomic, on_commit, run_statement
from egov.eventstore.crypto import PersonalDataCodec, is_envelope, strip_personal
from egov.eventstore.domain import Aggregate, DomainEvent, EventMetadata
from egov.eventstore.hooks import events_appended, events_committed
from egov.eventstore.registry import EventRegistry
from egov.eventstore.subject_events import (
    DataPribadiDiakses,
    DataPribadiDihapus,
    KlaimNIKDiputuskan,
)

ROWS_PER_INSERT = 500  # 10 parameters a row: within SQLite's and PostgreSQL's bounds


class KeyExisted(namedtuple("KeyExisted", "found wrapped_key master_key_id")):
    """``_insert``'s answer when the subject already had a key: nothing was written; the key
    row as the statement read it (``found`` False if it committed after its snapshot)."""


PREPARED_ROWS = 4  # INSERTs of up to this many rows are prepared (egov.db.run_statement)


# The columns an append writes, in RecordedEvent's order after ``position``.
COLUMNS = (
    "event_id",
    "stream_id",
    "stream_type",
    "version",
    "event_type",
    "schema_version",
    "payload",
    "metadata",
    "subject_id",
    "recorded_at",
)

# An event row as ``load`` reads it, without a model instance: the model's attributes, then
# its subject's key row (found, wrapped key, master key id).
_Row = namedtuple(
    "_Row",
    ("position", *COLUMNS, "key_found", "wrapped_key", "master_key_id"),
    defaults=(False, None, None),
)


def _always(answer: bool):
    return lambda _event_type: answer


_scan_json = make_scanner(json.JSONDecoder())


def _json_column(django_converter):
    """A JSON column's value decoded by the standard library's C scanner directly: what
    ``json.loads`` does, without its two Python frames and two regular expressions per
    value (two values per event: a rebuild decodes millions, bench/ktp_rebuild.py).
    Anything else (whitespace around it, text that is not JSON) goes to Django's own
    converter, which decides as before."""

    def convert(value):
        if value is None:
            return None
        try:
            decoded, end = _scan_json(value, 0)
        except (StopIteration, ValueError, TypeError):
            return django_converter(value)
        return decoded if end == len(value) else django_converter(value)

    return convert


def _chain(converters: list, column, connection):
    def convert(value):
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


class ConcurrencyError(Exception):
    """Another writer appended to the stream first: reload and try again (API: 409)."""

    def __init__(self, stream_id: uuid.UUID, expected_version: int):
        super().__init__(f"stream {stream_id} is no longer at version {expected_version}")
        self.stream_id = stream_id
        self.expected_version = expected_version


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: its place in the context's feed plus payload and metadata."""

    context: str
    position: int
    event_id: uuid.UUID
    stream_id: uuid.UUID
    stream_type: str
    version: int
    event_type: str
    schema_version: int
    payload: dict[str, Any]
    metadata: dict[str, Any]
    subject_id: str
    recorded_at: datetime
    tx: int = 0
    event: DomainEvent | None = field(default=None, compare=False)

    @property
    def cursor(self) -> tuple[int, int]:
        return (self.tx, self.position)


@dataclass(frozen=True)
class PendingEvent:
    event: DomainEvent
    event_id: uuid.UUID = field(default_factory=uuid.uuid4)


_stores: dict[str, EventStore] = {}


def register_store(store: EventStore) -> EventStore:
    _stores[store.context] = store
    return store


def get_store(context: str) -> EventStore:
    return _stores[context]


def registered_contexts() -> list[str]:
    return sorted(_stores)


class EventStore:
    def __init__(
        self, *, context: str, event_model: type, key_model: type, registry: EventRegistry
    ):
        self.context = context
        self.alias = context
        self.event_model = event_model
        self.registry = registry
        registry.register(DataPribadiDihapus)
        registry.register(DataPribadiDiakses)
        registry.register(KlaimNIKDiputuskan)
        self.codec = PersonalDataCodec(key_model, context)

    # --- write side -------------------------------------------------------------------
    def append(
        self,
        *,
        stream_id: uuid.UUID,
        stream_type: str,
        expected_version: int,
        events: Sequence[DomainEvent | PendingEvent],
        metadata: EventMetadata,
    ) -> list[RecordedEvent]:
        """Append ``events`` at ``expected_version + 1...``; ConcurrencyError if the stream is
        no longer at ``expected_version``. Re-appending events whose ids are already stored is
        a no-op (a retried command) and returns ``[]``, never a duplicate."""
        if self.stream_version(stream_id) != expected_version:
            if self._is_retry(events):
                return []
            raise ConcurrencyError(stream_id, expected_version)
        return self._append_after(stream_id, stream_type, expected_version, events, metadata)

    def _is_retry(self, events) -> bool:
        ids = [e.event_id for e in events if isinstance(e, PendingEvent)]
        stored = self.event_model.objects.using(self.alias).filter(event_id__in=ids)
        return bool(ids) and len(ids) == len(events) and stored.count() == len(ids)

    def _append_after(self, stream_id, stream_type, version, events, metadata):
        """Insert without reading the stream first: the unique (stream, version) constraint
        refuses a writer whose version is stale. Callers must not pass a version *ahead* of
        the stream (``save`` cannot: its version comes from loading the stream).

        No transaction of its own: the INSERT is one statement, atomic by itself, and joins
        the caller's transaction when there is one (then an error dooms that transaction)."""
        pending = [e if isinstance(e, PendingEvent) else PendingEvent(e) for e in events]
        recorded_at = timezone.now()
        metadata = metadata.to_dict()

        def rows_with(new_key):
            return [
                self._row(
                    stream_id, stream_type, version + i + 1, p, metadata, recorded_at, new_key
                )
                for i, p in enumerate(pending)
            ]

        new_key = self._new_key_for(pending)
        try:
            rows = rows_with(new_key)
            positions = self._insert(rows, new_key)
            if isinstance(positions, KeyExisted):  # the subject had a key: seal with it
                subject = new_key[0]
                rows = rows_with((subject, self.codec.key_from_row(subject, *positions)))
                positions = self._insert(rows)
        except IntegrityError:
            # A concurrent retry of these very events can lose on (stream, version) rather
            # than on event_id. Outside a transaction we can look; inside one, the caller's
            # retry will find the events stored and be a no-op.
            in_transaction = connections[self.alias].in_atomic_block
            if not in_transaction and self._is_retry(pending):
                return []
            raise ConcurrencyError(stream_id, version) from None
        if positions is None:
            return []  # every event id was already stored: a retry
        on_commit(self.alias, self._notify)
        on_commit(self.alias, partial(events_appended, self.context, len(positions)))
        return [
            RecordedEvent(self.context, position, *row, event=p.event)
            for position, row, p in zip(positions, rows, pending, strict=True)
        ]

    COLUMNS = COLUMNS  # the module's, as the store's own (used as self.COLUMNS)

    def _new_key_for(self, pending: list[PendingEvent]) -> tuple[str, bytes, list] | None:
        """On PostgreSQL, when the events carry personal data of exactly one subject whose key
        this unit of work does not hold yet (typically a citizen's first request): a fresh
        key for them, to be stored by the same statement as the events (``_insert``), which
        saves the key's own round trip. None otherwise (the codec finds or creates the key)."""
        if connections[self.alias].vendor != "postgresql":
            return None
        subjects = {p.event.data_subject() for p in pending if p.event.personal_fields}
        if len(subjects) != 1:
            return None
        [subject] = subjects
        if self.codec.has_key_in_unit(subject):
            return None
        return (subject, *self.codec.new_key(subject))

    def _insert(self, rows: list[tuple], new_key=None) -> list[int] | None:
        """One INSERT for all rows (tuples in ``COLUMNS`` order; no model instances). A
        duplicate event id is skipped by the database (ON CONFLICT (event_id) DO NOTHING); a
        duplicate (stream, version) raises IntegrityError. Returns None when every row was a
        duplicate, each row's position otherwise.

        With ``new_key`` (``_new_key_for``), the same statement first stores the subject's
        key row, and appends the rows only if it did: if the subject already had a key (or a
        destroyed one), nothing is written and their key row comes back (``KeyExisted``),
        so falling back costs no extra round trip."""
        connection = connections[self.alias]
        fields = self._fields()
        params = [
            field.get_db_prep_save(value, connection)
            for row in rows
            for field, value in zip(fields, row, strict=True)
        ]
        # A command appends one or a few events: those statements are prepared; a batch's
        # 500-row INSERT is not (it would crowd the connection's prepared statements).
        few = len(rows) <= PREPARED_ROWS
        if new_key is None:
            sql = self._insert_sql(len(rows))
        else:
            sql = self._insert_with_key_sql(len(rows))
            params = [*new_key[2], *params, new_key[0]]
        returned = run_statement(self.alias, sql, params, prepare=few)
        if new_key is not None:
            if returned and returned[-1][0] is None:
                return KeyExisted(*returned[-1][2:])
            self.codec.stored_with_events(new_key[0], new_key[1])
            returned = [row[:2] for row in returned]
        if len(returned) != len(rows):
            if returned:
                raise ValueError("some, not all, of these events were already stored")
            return None
        if len(rows) == 1:
            return [returned[0][0]]
        to_python = fields[0].to_python  # str keys: an event id may have been given as text
        positions = {str(to_python(event_id)): position for position, event_id in returned}
        return [positions[str(to_python(row[0]))] for row in rows]

    def _fields(self) -> list:
        fields = self.__dict__.get("_insert_fields")
        if fields is None:
            get = self.event_model._meta.get_field
            fields = self._insert_fields = [get(name) for name in self.COLUMNS]
        return fields

    def _insert_sql(self, count: int) -> str:
        cache = self.__dict__.setdefault("_insert_sqls", {})
        sql = cache.get(count)
        if sql is None:
            one_row = "(" + ", ".join(["%s"] * len(self.COLUMNS)) + ")"
            rows = f"VALUES {', '.join([one_row] * count)}"
            sql = cache[count] = self._insert_of(rows)
        return sql

    def _insert_of(self, rows: str) -> str:
        """INSERT of the event columns from ``rows`` (a VALUES list or a query)."""
        quote = connections[self.alias].ops.quote_name
        return (
            f"INSERT INTO {quote(self.event_model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in self._fields())}) {rows} "
            f"ON CONFLICT ({quote('event_id')}) DO NOTHING "
            f"RETURNING {quote('position')}, {quote('event_id')}"
        )

    def _insert_with_key_sql(self, count: int) -> str:
        """``_insert_sql`` behind a subject's key row: the events are inserted only if the
        key row was (``INSERT ... SELECT ... WHERE EXISTS``); if it was not, one row (NULL,
        NULL, the existing key row's found, wrapped key, master key id) says so. One
        statement, so both or neither are written."""
        cache = self.__dict__.setdefault("_insert_with_key_sqls", {})
        sql = cache.get(count)
        if sql is None:
            one_row = "SELECT " + ", ".join(["%s"] * len(self.COLUMNS))
            rows = (
                f"SELECT * FROM ({' UNION ALL '.join([one_row] * count)}) AS v "  # noqa: S608
                "WHERE EXISTS (SELECT FROM new_key)"
            )
            sql = cache[count] = (
                f"WITH new_key AS ({self.codec.insert_sql()} RETURNING 1), "  # noqa: S608
                f"appended AS ({self._insert_of(rows)}) "
                "SELECT *, NULL, NULL, NULL FROM appended UNION ALL "
                "SELECT NULL, NULL, k.subject_id IS NOT NULL, k.wrapped_key, k.master_key_id "
                f"FROM (SELECT 1) AS one LEFT JOIN {self.codec.table()} AS k "
                "ON k.subject_id = %s WHERE NOT EXISTS (SELECT FROM new_key)"
            )
        return sql

    def _row(self, stream_id, stream_type, version, pending, metadata, now, new_key=None):
        """One event as the tuple ``_insert`` writes (``COLUMNS`` order), its personal fields
        sealed with ``new_key`` if it is its subject's, else with the subject's stored key."""
        event = pending.event
        subject = event.data_subject()
        key = new_key[1] if new_key and new_key[0] == subject else None
        payload = self.codec.encrypt(subject, event.to_payload(), event.personal_fields, key)
        return (
            pending.event_id,
            stream_id,
            stream_type,
            version,
            event.event_type(),
            event.schema_version,
            payload,
            dict(metadata),
            subject,
            now,
        )

    def _notify(self) -> None:
        events_committed(self.context)

    def stream_version(self, stream_id: uuid.UUID) -> int:
        rows = self.event_model.objects.using(self.alias).filter(stream_id=stream_id)
        return rows.aggregate(v=Max("version"))["v"] or 0

    # --- loading ----------------------------------------------------------------------
    def load(self, stream_id: uuid.UUID) -> list[RecordedEvent]:
        """The stream's events, decrypted, in one round trip: the subjects' key rows come
        with the events (LEFT JOIN), so no key is fetched separately; a live key is kept for
        the unit of work (``crypto.unit_keys``), whose append then encrypts with it.
        Raw SQL and tuples: loading is on every command's path, and the ORM's query
        compilation and model instances cost more than the round trip (bench/)."""
        connection = connections[self.alias]
        param = self._fields()[1].get_db_prep_value(stream_id, connection)
        fetched = run_statement(self.alias, self._load_sql(), [param], prepare=True)
        converters = self._converters()
        rows, key_rows = [], {}
        for values in fetched:
            row = _Row(*[c(v) if c else v for c, v in zip(converters, values, strict=True)])
            rows.append(row)
            key_rows.setdefault(row.subject_id, values[-3:])
        return self.decode_rows(rows, decrypt=True, key_rows=key_rows)

    def _load_sql(self) -> str:
        sql = self.__dict__.get("_load_sql_text")
        if sql is None:
            connection = connections[self.alias]
            quote = connection.ops.quote_name
            columns = ", ".join(f"e.{quote(f.column)}" for f in self._row_fields())
            keys = quote(self.codec.key_model._meta.db_table)
            # On PostgreSQL one index lookup per event, whatever the statistics say: a plain
            # join (or a LATERAL one it may flatten) can be planned as a hash join over the
            # whole key table; LIMIT 1 (subject_id is the key) keeps the subquery a subquery.
            join = f"LEFT JOIN {keys} AS k ON k.subject_id = e.subject_id"
            if connection.vendor == "postgresql":
                lookup = f"SELECT * FROM {keys} WHERE subject_id = e.subject_id LIMIT 1"  # noqa: S608
                join = f"LEFT JOIN LATERAL ({lookup}) AS k ON true"
            sql = self._load_sql_text = (
                f"SELECT {columns}, k.subject_id IS NOT NULL, k.wrapped_key, k.master_key_id "  # noqa: S608
                f"FROM {quote(self.event_model._meta.db_table)} AS e {join} "
                f"WHERE e.{quote('stream_id')} = %s ORDER BY e.{quote('version')}"
            )
        return sql

    def _row_fields(self) -> list:
        return [self.event_model._meta.get_field("position"), *self._fields()]

    def _converters(self) -> list:
        """Per selected column, the conversion Django's compiler would apply to the database
        value (e.g. SQLite's text UUIDs and datetimes, JSON text), or None."""
        converters = self.__dict__.get("_load_converters")
        if converters is None:
            connection = connections[self.alias]
            converters = []
            for field in self._row_fields():
                column = field.get_col(self.event_model._meta.db_table)
                chain = [
                    *connection.ops.get_db_converters(column),
                    *field.get_db_converters(connection),
                ]
                convert = _chain(chain, column, connection) if chain else None
                if isinstance(field, JSONField) and field.decoder is None and convert:
                    convert = _json_column(convert)
                converters.append(convert)
            converters += [None, None, None]  # the key row's columns: read as they come
            self._load_converters = converters
        return converters

    def select_columns(self, table_alias: str) -> str:
        """The event columns ``rows_from`` expects first in a SELECT, in order."""
        quote = connections[self.alias].ops.quote_name
        return ", ".join(f"{table_alias}.{quote(f.column)}" for f in self._row_fields())

    def rows_from(self, fetched: list[tuple]) -> tuple[list[_Row], list[tuple]]:
        """Raw result rows that start with ``select_columns`` as ``_Row`` tuples (the values
        converted as the ORM would), and each row's remaining values."""
        converters = self._converters()[: len(self._row_fields())]
        width = len(converters)
        rows, rest = [], []
        for values in fetched:
            head = [c(v) if c else v for c, v in zip(converters, values[:width], strict=True)]
            rows.append(_Row(*head))
            rest.append(values[width:])
        return rows, rest

    def decode_rows(
        self,
        rows,
        *,
        decrypt: bool | Collection[str],
        tx_of=lambda row: 0,
        key_rows=None,
        typed: bool = True,
    ) -> list[RecordedEvent]:
        """Rows (model instances or ``_Row`` tuples) as RecordedEvents. With ``decrypt``, the
        subjects' keys are taken from ``key_rows`` (subject -> (found, wrapped, master key
        id), read with the rows) or else fetched for the whole batch in one query.
        ``decrypt`` may name the event types to decrypt: the others come without their
        personal fields (nothing is unwrapped or opened for them). ``typed=False`` skips
        building the event classes (a projector that reads only payloads)."""
        rows = list(rows)
        wanted = decrypt.__contains__ if isinstance(decrypt, Collection) else _always(decrypt)
        keys: dict[str, bytes | None] = {}
        if key_rows is None:
            sealed = (
                r.subject_id
                for r in rows
                if wanted(r.event_type) and any(map(is_envelope, r.payload.values()))
            )
            self.codec.prefetch(sealed, keys)
        recorded = []
        for row in rows:
            payload = self.registry.upcast(row.event_type, row.schema_version, row.payload)
            opened = wanted(row.event_type)
            if opened:
                subject = row.subject_id
                if (
                    key_rows is not None
                    and subject not in keys
                    and subject in key_rows
                    and any(map(is_envelope, payload.values()))
                ):
                    keys[subject] = self.codec.adopt(subject, *key_rows[subject])
                payload = self.codec.decrypt(subject, payload, keys)
            elif decrypt is not False:
                payload = strip_personal(payload)
            event = self._typed(row.event_type, payload) if opened and typed else None
            recorded.append(self._recorded(row, event, payload=payload, tx=tx_of(row)))
        return recorded

    def _typed(self, event_type: str, payload: dict) -> DomainEvent | None:
        """The payload (already upcast to the current schema) as its event class."""
        if not self.registry.knows(event_type):
            return None
        return self.registry.event_class(event_type).from_payload(payload)

    def _recorded(self, row, event, *, payload=None, tx=0) -> RecordedEvent:
        return RecordedEvent(
            context=self.context,
            position=row.position,
            event_id=row.event_id,
            stream_id=row.stream_id,
            stream_type=row.stream_type,
            version=row.version,
            event_type=row.event_type,
            schema_version=row.schema_version,
            payload=row.payload if payload is None else payload,
            metadata=row.metadata,
            subject_id=row.subject_id,
            recorded_at=row.recorded_at,
            tx=tx,
            event=event,
        )

    # --- repository for aggregates ----------------------------------------------------
    def get(self, aggregate_class: type[Aggregate], aggregate_id: uuid.UUID) -> Aggregate:
        events = [r.event for r in self.load(aggregate_id)]
        return aggregate_class.rehydrate(aggregate_id, events)

    def save(self, aggregate: Aggregate, metadata: EventMetadata) -> list[RecordedEvent]:
        events = aggregate.collect()
        recorded = self._append_after(
            aggregate.id, aggregate.stream_type, aggregate.version, events, metadata
        )
        aggregate.version += len(events)
        return recorded

    def save_many(self, aggregates: Sequence[Aggregate], metadata: EventMetadata) -> int:
        """Append the pending events of many aggregates (each at its own version, as
        ``save``), ``ROWS_PER_INSERT`` rows per INSERT, and announce the commit once: a batch
        of 5,000 new streams (bansos's payment instructions) is ten statements, not 5,000
        appends each scheduling the projectors. A stream no longer at its aggregate's version
        fails the whole call (``ConcurrencyError``: the unique (stream, version) constraint
        refuses it); call it inside a transaction. Returns how many events were appended."""
        now = timezone.now()
        meta = metadata.to_dict()
        rows = []
        for aggregate in aggregates:
            events = aggregate.collect()
            rows += [
                self._row(aggregate.id, aggregate.stream_type, v, PendingEvent(e), meta, now)
                for v, e in enumerate(events, start=aggregate.version + 1)
            ]
            aggregate.version += len(events)
        for start in range(0, len(rows), ROWS_PER_INSERT):
            part = rows[start : start + ROWS_PER_INSERT]
            try:
                self._insert(part)
            except IntegrityError:
                _, stream_id, _, version, *_ = part[0]
                raise ConcurrencyError(stream_id, version - 1) from None
        if rows:
            on_commit(self.alias, self._notify)
            on_commit(self.alias, partial(events_appended, self.context, len(rows)))
        return len(rows)

    # --- personal data (UU PDP) -------------------------------------------------------
    def forget_subject(self, subject_id: str, metadata: EventMetadata) -> RecordedEvent:
        """Erase a data subject: destroy their key and record ``DataPribadiDihapus`` so that
        projectors purge read rows. Events stay; their personal fields load as erased."""
        stream_id = uuid.uuid5(uuid.NAMESPACE_URL, f"egov:{self.context}:subject:{subject_id}")
        with atomic(self.alias):
            self.codec.destroy_key(subject_id)
            version = self.stream_version(stream_id)
            [recorded] = self.append(
                stream_id=stream_id,
                stream_type="SubjekData",
                expected_version=version,
                events=[DataPribadiDihapus(subject_id=subject_id, alasan=metadata.reason)],
                metadata=metadata,
            )
        return recorded

    def record_access(
        self, *, subject_id: str, door: str, purpose: str, metadata: EventMetadata
    ) -> RecordedEvent:
        """Record that ``metadata.actor`` viewed ``subject_id``'s personal data through
        ``door`` ("admin" or "api"). One stream per access, so readers never contend."""
        event = DataPribadiDiakses(
            subject_id=subject_id, pintu=door, tujuan=purpose, pengakses=metadata.actor
        )
        [recorded] = self.append(
            stream_id=uuid.uuid4(),
            stream_type="AksesData",
            expected_version=0,
            events=[event],
            metadata=metadata,
        )
        return recorded
