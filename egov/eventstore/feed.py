"""The published feed of a context: its events in a stable order, read by cursor.

Gap safety. Positions come from a sequence, so on PostgreSQL two transactions can commit out
of position order (10 is handed out, then 11; 11 commits first). A consumer that read "after
position 11" would skip 10 for ever. Each row therefore records its writer's transaction id
(``tx_id xid8``), and the feed only returns rows whose transaction is older than the oldest
transaction still in flight (``pg_snapshot_xmin``): every such transaction has finished, and
any later commit has a larger tx id. Ordering and the cursor are ``(tx_id, position)``.
Writers never wait for one another (no table lock).

SQLite allows one writer at a time, so positions commit in order and the cursor is
``(0, position)``.

Another context's consumer sees payloads without their personal fields; only the owning
context's own projectors decrypt them.
"""

from collections.abc import Collection

from django.conf import settings
from django.db import connections

from egov.db import run_statement
from egov.eventstore.store import RecordedEvent, get_store

Cursor = tuple[int, int]
START: Cursor = (0, 0)

PG_FEED_SQL = """
SELECT {columns}, e.tx_id::text::bigint AS tx FROM {table} AS e
WHERE (e.tx_id, e."position") > (%s::text::xid8, %s)
  AND (e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) {own_writes})
ORDER BY e.tx_id, e."position"
LIMIT %s
"""
# Test settings only (FEED_READS_OWN_WRITES): Django's TestCase keeps each test inside one
# open transaction, which the rule above would hide from the test's own projections. A
# connection that has not written (every real consumer) is unaffected.
OWN_WRITES = "OR e.tx_id = pg_current_xact_id_if_assigned()"
PG_COUNT_SQL = 'SELECT count(*) FROM {table} WHERE (tx_id, "position") > (%s::text::xid8, %s)'
PG_ANY_SQL = f"SELECT EXISTS ({PG_COUNT_SQL.replace('count(*)', '1')})"


def _is_postgres(alias: str) -> bool:
    return connections[alias].vendor == "postgresql"


def read_feed(
    context: str,
    *,
    after: Cursor = START,
    limit: int = 500,
    decrypt: bool | Collection[str] = False,
    typed: bool = True,
) -> list[RecordedEvent]:
    """The next ``limit`` events after ``after``. ``decrypt``: True for every event's personal
    fields (the owning context's projectors), or the event types that need them; the others
    come without personal fields. ``typed``: build the event classes (see ``decode_rows``)."""
    store = get_store(context)
    if _is_postgres(store.alias):
        own_writes = OWN_WRITES if settings.FEED_READS_OWN_WRITES else ""
        sql = PG_FEED_SQL.format(
            columns=store.select_columns("e"),
            table=store.event_model._meta.db_table,
            own_writes=own_writes,
        )
        # Tuples, not model instances: a rebuild reads millions of rows (bench/ktp_rebuild.py)
        rows, rest = store.rows_from(run_statement(store.alias, sql, [*after, limit]))
        tx_by_position = {row.position: tail[0] for row, tail in zip(rows, rest, strict=True)}
        return store.decode_rows(
            rows,
            decrypt=decrypt or (),
            typed=typed,
            tx_of=lambda row: int(tx_by_position[row.position]),
        )
    manager = store.event_model.objects.using(store.alias)
    rows = manager.filter(position__gt=after[1]).order_by("position")[:limit]
    return store.decode_rows(rows, decrypt=decrypt or (), typed=typed)


def total(context: str) -> int:
    """Number of events in the context's feed (for lag reports and progress bars)."""
    store = get_store(context)
    return store.event_model.objects.using(store.alias).count()


def count_after(context: str, after: Cursor) -> int:
    """How many events a consumer at ``after`` has not applied yet (in-flight ones included)."""
    return _after(context, after, PG_COUNT_SQL, lambda rows: rows.count())


def any_after(context: str, after: Cursor) -> bool:
    """Is there an event a consumer at ``after`` has not applied yet? (One index probe, where
    counting them would read a whole backlog: asked after every projector run.)"""
    return bool(_after(context, after, PG_ANY_SQL, lambda rows: rows.exists()))


def _after(context: str, after: Cursor, pg_sql: str, orm):
    store = get_store(context)
    if not _is_postgres(store.alias):
        return orm(store.event_model.objects.using(store.alias).filter(position__gt=after[1]))
    with connections[store.alias].cursor() as cursor:
        cursor.execute(pg_sql.format(table=store.event_model._meta.db_table), list(after))
        return cursor.fetchone()[0]
