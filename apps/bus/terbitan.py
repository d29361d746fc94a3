"""The outbound bus's one public shape: what egov publishes of its events to other agencies,
read from each context's gap-safe feed. The NATS relay (``relay.py``) and the HTTP feed for
integrators without NATS (``api_feed.py``) both publish exactly this.

- Only **published contract events** (``egov.contracts``, ``@published``): a context's
  internal events never leave egov.
- Personal fields removed: the feed already drops every sealed value for another context
  (``egov.eventstore.feed.read_feed``) and the contract's ``personal_fields`` are dropped
  again by name, so an unsealed personal field (there should be none) cannot leak either.
  What remains are pseudonymous subject ids (``nik_hash``) and what the contract allows.
- Of the metadata only the correlation and causation ids travel (the actor may be a
  person's account; it stays inside egov).
- The cursor is the feed's: ``(tx, position)``, written ``"<tx>.<position>"``.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings

import egov.contracts
from egov.contracts import published_events
from egov.eventstore import feed
from egov.eventstore.domain import DomainEvent
from egov.eventstore.store import RecordedEvent

Cursor = tuple[int, int]
AWAL: Cursor = feed.START


@cache
def kontrak() -> dict[str, dict[str, type[DomainEvent]]]:
    """``context -> {EventType: contract class}`` for every context that publishes events
    (every contract module loaded, so no context is missed for lack of an import)."""
    for module in pkgutil.iter_modules(egov.contracts.__path__):
        importlib.import_module(f"egov.contracts.{module.name}")
    by_context: dict[str, dict[str, type[DomainEvent]]] = {}
    for key, event_class in published_events().items():
        context, event_type = key.split(".", 1)
        if context in settings.CONTEXTS:
            by_context.setdefault(context, {})[event_type] = event_class
    return {context: by_context[context] for context in sorted(by_context)}


def konteks_terbit() -> list[str]:
    return list(kontrak())


def tulis_kursor(cursor: Cursor) -> str:
    return f"{cursor[0]}.{cursor[1]}"


def baca_kursor(text: str) -> Cursor:
    """``"<tx>.<position>"`` (``""`` = the start); ValueError when malformed."""
    if not text:
        return AWAL
    tx, _, position = text.partition(".")
    if not (tx.isdigit() and position.isdigit()):
        raise ValueError(text)
    return int(tx), int(position)


def bentuk_publik(event: RecordedEvent) -> dict[str, Any] | None:
    """The event as published to other agencies, or None when it is not a published one."""
    contract = kontrak().get(event.context, {}).get(event.event_type)
    if contract is None:
        return None
    personal = set(contract.personal_fields)
    return {
        "event_id": str(event.event_id),
        "konteks": event.context,
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "stream_id": str(event.stream_id),
        "versi": event.version,
        "subject_id": event.subject_id,
        "dicatat_pada": event.recorded_at.isoformat(),
        "correlation_id": event.metadata.get("correlation_id", ""),
        "causation_id": event.metadata.get("causation_id", ""),
        "kursor": tulis_kursor(event.cursor),
        "payload": {k: v for k, v in event.payload.items() if k not in personal},
    }


@dataclass(frozen=True)
class Halaman:
    """One page of a context's published events, with the cursor to continue from."""

    peristiwa: list[dict[str, Any]]
    berikutnya: Cursor
    habis: bool  # the feed had nothing more to give (for now)


def baca(
    context: str,
    *,
    after: Cursor = AWAL,
    limit: int = 100,
    baris: int = 500,
    jenis: frozenset[str] | None = None,
) -> Halaman:
    """Up to ``limit`` published events after ``after`` (only the types in ``jenis``, if
    given). Unpublished events and other types are skipped and the cursor moves past them, so
    a reader of one type never re-reads nor misses anything; at most a few feed batches of
    ``baris`` rows are read per call, so a long run of skipped events returns a short (even
    empty) page with a cursor ahead."""
    events: list[dict[str, Any]] = []
    cursor = after
    for _ in range(10):
        rows = feed.read_feed(context, after=cursor, limit=baris)
        for row in rows:
            wanted = jenis is None or row.event_type in jenis
            public = bentuk_publik(row) if wanted else None
            if public is not None:
                events.append(public)
            cursor = row.cursor
            if len(events) >= limit:
                return Halaman(events, cursor, habis=False)
        if len(rows) < baris:
            return Halaman(events, cursor, habis=True)
    return Halaman(events, cursor, habis=False)
