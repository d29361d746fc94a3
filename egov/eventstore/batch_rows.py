"""Read-side rows held for one projector batch: read together, changed in memory, written
together at the end of the batch (inside the checkpoint's transaction, ``project_batch``).

A projector applying events one by one pays a few queries per event; one that overrides
``Projector.handle_batch`` with these pays a few queries per batch. Safe because a projector
run holds its checkpoint lock for the whole batch: nobody else writes its rows meanwhile, so
the values read at the start are still current at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from django.db import connections, models

# From this many rows, PostgreSQL gets them by COPY (a rebuild's batches): Django's bulk
# INSERT builds and adapts one parameter per column per row, which costs more than the server.
COPY_FROM = 200


class Rows:
    """Rows of one table by primary key: ``load`` reads many in one query, ``get`` serves
    them (and the rows ``add``-ed in this batch), ``flush`` creates the new ones and updates
    the changed ones in one statement each."""

    def __init__(self, model: type[models.Model], alias: str) -> None:
        self.model, self.alias = model, alias
        self._rows: dict[Any, models.Model] = {}
        self._new: dict[Any, models.Model] = {}
        self._changed: dict[Any, models.Model] = {}

    def load(self, pks: Iterable) -> None:
        wanted = {pk for pk in pks if pk not in self._rows}
        if wanted:
            found = self.model.objects.using(self.alias).in_bulk(list(wanted))
            self._rows.update(found)

    def get(self, pk) -> Any:
        return self._rows.get(pk)

    def loaded(self) -> Iterable[models.Model]:
        """Every row the batch holds (read or added)."""
        return self._rows.values()

    def add(self, row: models.Model) -> None:
        self._rows[row.pk] = self._new[row.pk] = row

    def changed(self, row: models.Model) -> None:
        if row.pk not in self._new:
            self._changed[row.pk] = row

    def flush(self, fields: list[str]) -> None:
        rows = self.model.objects.using(self.alias)
        if self._new:
            insert_new(self.model, self.alias, list(self._new.values()))
        if self._changed:
            rows.bulk_update(list(self._changed.values()), fields)
        self._new.clear()
        self._changed.clear()


class Counters:
    """Counter columns of aggregate tables, moved by a batch: ``add`` sums in memory;
    ``flush`` reads the rows it touches (one query per table), adds, and writes them back
    (one update and one insert per table)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._adds: dict[type[models.Model], dict[tuple, Counter]] = defaultdict(dict)
        self._keys: dict[type[models.Model], tuple[str, ...]] = {}

    def add(self, model: type[models.Model], key: dict, **amounts: int) -> None:
        fields = self._keys.setdefault(model, tuple(sorted(key)))
        values = tuple(key[f] for f in fields)
        self._adds[model].setdefault(values, Counter()).update(amounts)

    def flush(self) -> None:
        for model, adds in self._adds.items():
            self._flush(model, self._keys[model], adds)
        self._adds.clear()

    def _flush(self, model, fields: tuple[str, ...], adds: dict[tuple, Counter]) -> None:
        rows = model.objects.using(self.alias)
        # A superset of the touched rows (each key column IN its values), matched in Python.
        nearby = rows.filter(**{f"{f}__in": {k[i] for k in adds} for i, f in enumerate(fields)})
        existing = {tuple(getattr(r, f) for f in fields): r for r in nearby}
        columns = sorted({c for amounts in adds.values() for c in amounts})
        changed, new = [], []
        for key, amounts in adds.items():
            row = existing.get(key)
            if row is None:
                new.append(model(**dict(zip(fields, key, strict=True)), **amounts))
                continue
            for column, amount in amounts.items():
                setattr(row, column, getattr(row, column) + amount)
            changed.append(row)
        if changed:
            rows.bulk_update(changed, columns)
        if new:
            rows.bulk_create(new)


def insert_new(model: type[models.Model], alias: str, objs: list[models.Model]) -> None:
    """Insert ``objs``, skipping any whose key is already stored (a batch applied again).
    Inside the projector's transaction (the staging table lives until its commit)."""
    if not _by_copy(alias, len(objs)):
        model.objects.using(alias).bulk_create(objs, ignore_conflicts=True)
        return
    names = [f.attname for f in model._meta.concrete_fields]
    _copy_new(model, alias, names, ([getattr(obj, n) for n in names] for obj in objs))


def insert_new_values(
    model: type[models.Model], alias: str, columns: list[str], rows: list[tuple]
) -> None:
    """``insert_new`` for rows given as tuples of ``columns`` (every field's attribute name,
    in any order: Django's defaults are not the database's, so none may be left out): no model
    instance is built on the COPY path (a rebuild writes a timeline row per event)."""
    missing = {f.attname for f in model._meta.concrete_fields} - set(columns)
    if missing:
        raise ValueError(f"{model.__name__}: no value for {sorted(missing)}")
    if not _by_copy(alias, len(rows)):
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.using(alias).bulk_create(objs, ignore_conflicts=True)
        return
    _copy_new(model, alias, columns, rows)


def _by_copy(alias: str, count: int) -> bool:
    return connections[alias].vendor == "postgresql" and count >= COPY_FROM


_rebuilding: ContextVar[bool] = ContextVar("egov_batch_rows_rebuilding", default=False)


@contextmanager
def into_emptied_tables() -> Iterator[None]:
    """A rebuild (``projections.rebuild``): the projector's tables were emptied, and each
    batch's checkpoint commits with its rows, so no new row of a batch can be stored already.
    New rows are COPYed straight into their table: no staging table and no ``ON CONFLICT``
    pass, half the server's work for a rebuild's inserts (bench/ktp_rebuild.py). A row that
    is there after all fails its batch (IntegrityError, rolled back): loud, never silent."""
    token = _rebuilding.set(True)
    try:
        yield
    finally:
        _rebuilding.reset(token)


def _copy_new(model, alias: str, names: list[str], rows: Iterable) -> None:
    """COPY ``rows`` (values of the fields ``names``) into a staging table, then insert
    those whose key is not stored yet (straight into the table in a rebuild)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    prepare = [_preparer(f, connection) for f in fields]
    as_is = all(p is None for p in prepare)

    def copy_into(cursor, target: str) -> None:
        # Django's own errors (IntegrityError...): COPY bypasses its cursor wrapper
        with (
            connection.wrap_database_errors,
            cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row if as_is else _prepared(prepare, row))

    with connection.cursor() as cursor:
        if _rebuilding.get():
            copy_into(cursor, table)
            return
        stage = quote(f"stage_{model._meta.db_table}")
        cursor.execute(
            f"CREATE TEMP TABLE {stage} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        copy_into(cursor, stage)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {stage}")


def _prepared(prepare: list, row) -> list:
    return [value if p is None else p(value) for p, value in zip(prepare, row, strict=True)]


# Columns whose Python values psycopg adapts as they are (the ORM's preparation would return
# them unchanged): skipping it is most of a COPY's cost.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
    "UUIDField",
}


def _preparer(field, connection):
    """None where psycopg takes the value as it is, else the ORM's preparation."""
    kind = field.get_internal_type()
    if kind in _AS_IS:
        return None
    prepare = partial(field.get_db_prep_save, connection=connection)
    if kind == "DateTimeField":  # an aware datetime (as events carry them) goes as it is
        return lambda value: value if value is None or value.tzinfo else prepare(value)
    return prepare
