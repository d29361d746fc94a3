"""Database routing: every model lives on exactly one alias, chosen by its context and side.

- A context app's models live on the context's write alias (``ktp``) unless they are read
  models (subclasses of ``egov.eventstore.models.ReadModel``), which live on ``ktp_read``.
- The kernel's checkpoint table lives on every read alias (a projector keeps its checkpoint
  next to its rows); code always names the alias explicitly with ``.using()``.
- Everything else (auth, sessions, admin log, tokens) lives on ``default``.
Relations across aliases are refused (and a system check reports any relation field that
would need one).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import transaction

from egov.databases import read_alias

KERNEL_APP = "eventstore"


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
    transaction.on_commit(func, using=alias, robust=True)


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
