"""Database routing: every model lives on exactly one alias, chosen by its context and side.

- A context app's models live on the context's write alias (``ktp``) unless they are read
  models (subclasses of ``egov.eventstore.models.ReadModel``), which live on ``ktp_read``.
- The kernel's checkpoint table lives on every read alias (a projector keeps its checkpoint
  next to its rows); code always names the alias explicitly with ``.using()``.
- Everything else (auth, sessions, admin log, tokens) lives on ``default``.
Relations across aliases are refused (and a system check reports any relation field that
would need one).
"""

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from egov.databases import read_alias

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


class ContextRouter:
    def db_for_read(self, model, **hints):
        return alias_for_model(model)

    def db_for_write(self, model, **hints):
        return alias_for_model(model)

    def allow_relation(self, obj1, obj2, **hints):
        return alias_for_model(type(obj1)) == alias_for_model(type(obj2))

    def allow_migrate(self, db, app_label, model_name=None, **hints):
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


def run_statement(alias: str, sql: str, params: Sequence) -> list[tuple]:
    """Run one of the store's few hot statements (append, load, subject keys): raw SQL built
    once per store, tuples back, no model instances. (Prepared statements through a
    server-side binding cursor were measured too: no gain on these statements, see
    docs/performance.md, so Django's cursor and its instrumentation stay.)"""
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
