"""Database routing: every model lives on exactly one alias, chosen by its context and side.

- A context app's models live on the context's write alias (``ktp``) unless they are read
  models (subclasses of ``egov.eventstore.models.ReadModel``), which live on ``ktp_read``.
- The kernel's checkpoint table lives on every read alias (a projector keeps its checkpoint
  next to its rows); code always names the alias explicitly with ``.using()``.
- Everything else (auth, sessions, admin log, tokens) lives on ``default``.
Relations across aliases are refused (and a system check reports any relation field that
would need one).

Read replicas (``ktp_read_replica``, configured in egov.databases): the read side's queries
(the default manager, no ``.using()``) go to the read alias's replica, with three exceptions
that read the primary instead:
- inside a transaction on the context's write or read alias (a command deciding, a projector
  applying a batch): a decision never rests on a copy that lags;
- while the request or block is pinned (``reading_primary()``, ``ReadYourWritesMiddleware``):
  whoever just acted reads their own write;
- while the replica cannot be reached: for ``DB_REPLICA_RETRY_SECONDS`` after a failed connect.
Writes always go to the primary (a replica refuses them anyway).
"""

import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from datetime import datetime
from functools import cache, partial

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from egov.databases import READ_SUFFIX, REPLICA_SUFFIX, read_alias, replica_alias

KERNEL_APP = "eventstore"

logger = logging.getLogger(__name__)


def contexts() -> list[str]:
    return list(settings.CONTEXTS)


def read_aliases() -> list[str]:
    return [read_alias(context) for context in contexts()]


def alias_for_model(model: type) -> str | None:
    label = model._meta.app_label
    if label in settings.CONTEXTS:
        return read_alias(label) if getattr(model, "is_read_model", False) else label
    if label == KERNEL_APP:
        return None  # on every read alias: callers must say which one
    return "default"


@contextmanager
def atomic(alias: str, *, durable: bool = False, savepoint: bool = True) -> Iterator[None]:
    """A transaction on one alias. Named explicitly so that no code silently writes to
    ``default`` when it meant a context's database. ``savepoint=False`` joins an enclosing
    transaction without a savepoint (two round trips fewer; an error dooms the whole)."""
    with transaction.atomic(using=alias, durable=durable, savepoint=savepoint):  # noqa: TID251
        yield


def on_commit(alias: str, func) -> None:
    """Run ``func`` once the current transaction on ``alias`` commits (robust: a failing
    side effect is logged, never turned into an error for a command that already succeeded)."""
    transaction.on_commit(partial(_side_effect, func), using=alias, robust=True)


def enqueue_on_commit(alias: str, task_name: str, *args) -> None:
    """Send the Celery task registered as ``task_name`` once ``alias`` commits. By name, so a
    use case never imports the tasks module that calls it (no import cycle); eager in
    embedded mode like any ``.delay()``."""
    from egov.celery import app

    on_commit(alias, lambda: app.tasks[task_name].delay(*args))


def _side_effect(func) -> None:
    try:
        func()
    except KombuOperationalError as exc:  # a task could not be published: the broker is down
        note_broker_unreachable(exc)


# --- Publishing tasks while the broker is down ----------------------------------------------
# Celery's publishing is bounded by settings (no retry, short connect timeout), so a dead broker
# costs a command a few milliseconds. The first failure opens an outage window
# (BROKER_OUTAGE_SECONDS): one warning per window instead of a traceback per command, and
# projections skip publishing and run in-process meanwhile (egov.eventstore.projections).
_broker_outage_until = 0.0


def broker_outage() -> bool:
    return time.monotonic() < _broker_outage_until


def note_broker_unreachable(exc: Exception) -> None:
    global _broker_outage_until
    if not broker_outage():
        logger.warning(
            "task broker unreachable (%s); tasks are not published for %.0f s, projections "
            "run in-process and the beat sweep catches up",
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            settings.BROKER_OUTAGE_SECONDS,
        )
    _broker_outage_until = time.monotonic() + settings.BROKER_OUTAGE_SECONDS


def forget_broker_outage() -> None:
    """Publish again at once (tests; an operator's shell after fixing the broker)."""
    global _broker_outage_until
    _broker_outage_until = 0.0


# --- Read replicas ---------------------------------------------------------------------------
# How long a replica that refused a connection is left alone (reads go to its primary), and how
# long after a write a browser keeps reading the primaries (ReadYourWritesMiddleware).
REPLICA_RETRY_SECONDS = float(os.environ.get("DB_REPLICA_RETRY_SECONDS", "30"))
READ_YOUR_WRITES_SECONDS = int(os.environ.get("DB_READ_YOUR_WRITES_SECONDS", "15"))
READ_PRIMARY_COOKIE = "egov_read_primary"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_pinned: ContextVar[bool] = ContextVar("egov_read_primary", default=False)
_replica_down_until: dict[str, float] = {}


def is_replica(alias: str) -> bool:
    return alias.endswith(REPLICA_SUFFIX)


def replica_of(alias: str) -> str | None:
    replica = replica_alias(alias)
    return replica if replica in settings.DATABASES else None


def replicas_configured() -> bool:
    return any(is_replica(alias) for alias in settings.DATABASES)


@contextmanager
def reading_primary() -> Iterator[None]:
    """Every read in the block goes to the primaries (this thread or task only)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def _in_transaction(alias: str) -> bool:
    context = alias.removesuffix(READ_SUFFIX)
    return connections[alias].in_atomic_block or (
        context in settings.DATABASES and connections[context].in_atomic_block
    )


def replica_usable(replica: str) -> bool:
    """Whether ``replica`` answers (one connect, or Django's once-per-request health check on
    a kept connection). A failure is noted for ``REPLICA_RETRY_SECONDS``, so an outage costs
    one connect timeout per process and window, not one per query."""
    if time.monotonic() < _replica_down_until.get(replica, 0.0):
        return False
    connection = connections[replica]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as exc:
        logger.warning(
            "read replica %s unreachable (%s): reads go to its primary for %.0f s",
            replica,
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
            REPLICA_RETRY_SECONDS,
        )
        _replica_down_until[replica] = time.monotonic() + REPLICA_RETRY_SECONDS
        return False
    return True


def forget_replica_outages() -> None:
    """Try the replicas again at once (tests; an operator's shell after fixing one)."""
    _replica_down_until.clear()


def read_alias_for(alias: str | None) -> str | None:
    """Where a read of a model living on ``alias`` goes: its replica unless one of the module
    docstring's exceptions sends it to the primary."""
    if alias is None or _pinned.get():
        return alias
    replica = replica_of(alias)
    if replica is None or _in_transaction(alias) or not replica_usable(replica):
        return alias
    return replica


class ReadYourWritesMiddleware:
    """A browser that just acted reads the primaries for ``READ_YOUR_WRITES_SECONDS``: the
    request that writes (POST, PUT, PATCH, DELETE) reads them, and its answer sets a short
    cookie that pins the requests that follow (the redirect to the page showing the result).
    Longer than a replica's usual lag plus a projection's; a forged cookie only costs the
    primary a few reads. No-op (no cookie) when no replica is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas_configured():
            return self.get_response(request)
        writes = request.method in WRITE_METHODS
        pinned = writes or READ_PRIMARY_COOKIE in request.COOKIES
        with reading_primary() if pinned else nullcontext():
            response = self.get_response(request)
        if writes and response.status_code < 400:
            response.set_cookie(
                READ_PRIMARY_COOKIE,
                "1",
                max_age=READ_YOUR_WRITES_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class ContextRouter:
    def db_for_read(self, model, **hints):
        return read_alias_for(alias_for_model(model))

    def db_for_write(self, model, **hints):
        return alias_for_model(model)

    def allow_relation(self, obj1, obj2, **hints):
        return alias_for_model(type(obj1)) == alias_for_model(type(obj2))

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if is_replica(db):
            return False  # a copy of its primary, migrated there
        if app_label == KERNEL_APP:
            return db in read_aliases()
        if app_label not in settings.CONTEXTS:
            return db == "default"
        if model_name is None:
            return db == hints.get("alias", app_label)
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return False  # a model deleted by a later migration: skip it everywhere
        return db == alias_for_model(model)


def run_statement(alias: str, sql: str, params: Sequence, *, prepare: bool = False) -> list[tuple]:
    """Run one statement, tuples back, no model instances. ``prepare``: one of the store's
    few hot statements (append, load, a subject's key), run on every command: on PostgreSQL,
    where the alias allows prepared statements (``egov.databases``: not behind PgBouncer's
    transaction pooling), it is bound on the server and prepared once per connection, so
    the server parses and plans it once instead of on every command (bench/
    append_vs_eventsourcing.py: about +30 % appends at 8 writers)."""
    connection = connections[alias]
    preparing = prepare and may_prepare(connection)
    with _preparing_cursor(connection) if preparing else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def may_prepare(connection) -> bool:
    # Not while queries are logged (DEBUG, a test capturing them): psycopg keeps no query
    # text for a prepared execution, and the log must show every statement as it ran.
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
        and not connection.queries_logged
    )


def _preparing_cursor(connection):
    """Django's cursor wrapper (error translation, execute wrappers) around a
    server-binding psycopg cursor that prepares what it executes (psycopg keeps the
    connection's prepared statements, most recently used first, and re-prepares after a
    reconnect)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = _preparing_cursor_class()(connection.connection)
    return connection.make_cursor(cursor)


@cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparingCursor


TIMESTAMPTZ_OID = 1184


def use_iso_timestamptz_loader(sender, connection, **kwargs) -> None:
    """``connection_created``: read a PostgreSQL timestamptz with ``datetime.fromisoformat``
    (C) first. Django's loader is psycopg's pure-Python one (a regular expression per value:
    5 % of a projection rebuild, bench/ktp_rebuild.py); a value that ``fromisoformat``
    cannot read (BC, infinity, past year 9999, a non-ISO DateStyle) still goes to it."""
    if connection.vendor != "postgresql":
        return
    from psycopg.pq import Format

    adapters = connection.connection.adapters
    current = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if current is not None and not issubclass(current, _IsoLoaderMixin):
        adapters.register_loader("timestamptz", _iso_loader(current))


class _IsoLoaderMixin:
    def load(self, data):
        try:
            value = datetime.fromisoformat(bytes(data).decode())
        except ValueError:
            return super().load(data)
        # As psycopg's loader (into the session's time zone), then Django's (its tzinfo).
        return value.astimezone(self._timezone).replace(tzinfo=self.timezone)


@cache
def _iso_loader(base: type) -> type:
    return type("IsoTimestamptzLoader", (_IsoLoaderMixin, base), {})


def insert_if_absent(model: type, alias: str, **values) -> bool:
    """Insert one row unless a unique constraint already holds its key; True if inserted.

    One statement (``INSERT ... ON CONFLICT DO NOTHING RETURNING``) where a savepoint, an
    INSERT and a caught IntegrityError were three: a command reserving a key (an open
    request per NIK, a NIB, a BPE number) pays no savepoint round trips. A concurrent insert
    of the same key waits for the first transaction, as a plain INSERT does; any other error
    (a missing column, NULL) is raised. Omitted fields take their defaults, as ``create``."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    row = model(**values)
    fields = [f for f in model._meta.local_concrete_fields if not f.db_returning]
    params = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - a model's names, quoted
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING 1"
    )
    return bool(run_statement(alias, sql, params, prepare=True))
