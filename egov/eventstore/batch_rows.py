"""Read-side rows held for one projector batch: read together, changed in memory, written
together at the end of the batch (inside the checkpoint's transaction, ``project_batch``).

A projector applying events one by one pays a few queries per event; one that overrides
``Projector.handle_batch`` with these pays a few queries per batch. Safe because a projector
run holds its checkpoint lock for the whole batch: nobody else writes its rows meanwhile, so
the values read at the start are still current at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models


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

    def add(self, row: models.Model) -> None:
        self._rows[row.pk] = self._new[row.pk] = row

    def changed(self, row: models.Model) -> None:
        if row.pk not in self._new:
            self._changed[row.pk] = row

    def flush(self, fields: list[str]) -> None:
        rows = self.model.objects.using(self.alias)
        if self._new:
            rows.bulk_create(list(self._new.values()))
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
