"""The unit of work every context's commands share: one decision on one aggregate in one
transaction on the context's write alias.

(Lock,) load, let the caller decide, append what it decided. A refusal raised inside appends
nothing; an aggregate with no events is not acknowledged to exist (``NotVisible``) unless
the command creates it (``new``). ``save`` is the context's own append (the store's, plus the
command-side index rows it keeps in step), ``lock`` takes the locks a rule across streams
needs before the load.

Within a unit of work a subject's unwrapped key is read once (with the stream, by the load)
and reused by the append (``egov.eventstore.crypto.unit_keys``): never across units of work,
and never after ``forget_subject`` destroyed it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from egov.db import atomic
from egov.eventstore.crypto import unit_keys
from egov.eventstore.domain import Aggregate, EventMetadata
from egov.eventstore.store import EventStore
from egov.principals import NotVisible

A = TypeVar("A", bound=Aggregate)


@contextmanager
def changing(
    store: EventStore,
    kelas: type[A],
    stream_id: uuid.UUID,
    metadata: EventMetadata,
    *,
    not_found: str,
    save: Callable[[Aggregate, EventMetadata], object] | None = None,
    new: bool = False,
    lock: Callable[[], None] | None = None,
) -> Iterator[A]:
    with atomic(store.alias), unit_keys():
        if lock is not None:
            lock()
        aggregate = store.get(kelas, stream_id)
        if not new and not aggregate.exists:
            raise NotVisible(not_found)
        yield aggregate
        (save or store.save)(aggregate, metadata)
