"""PostgreSQL timestamptz values are read by ``datetime.fromisoformat`` first
(``egov.db.use_iso_timestamptz_loader``), with the same results as Django's loader, which
still reads what ``fromisoformat`` cannot."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import DataError, connections
from psycopg.pq import Format

from egov.db import TIMESTAMPTZ_OID

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__")]

ALIAS = "kerneltest"


def _select(sql: str, params=()):
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_iso_loader_is_in_use_on_every_postgresql_connection():
    connections[ALIAS].ensure_connection()
    adapters = connections[ALIAS].connection.adapters
    assert adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT).__name__ == "IsoTimestamptzLoader"


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 11, 30, 7, 57, 46, 669435, tzinfo=UTC),
        datetime(2026, 11, 30, 7, 57, 46, tzinfo=UTC),  # no fraction: printed without one
        datetime(2026, 11, 30, 7, 57, 46, 600000, tzinfo=UTC),  # printed as ".6"
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=7))),  # WIB
    ],
)
def test_values_come_back_as_the_same_instant_in_utc(value):
    read = _select("SELECT %s::timestamptz", [value])

    assert read == value
    assert read.tzinfo is UTC  # as Django gives them (USE_TZ: the connection's zone)


def test_a_bc_date_is_refused_as_before():
    with pytest.raises(DataError, match="BC"):
        _select("SELECT '0044-03-15 12:00:00+00 BC'::timestamptz")


def test_infinity_is_refused_as_before():
    with pytest.raises(DataError, match="10K"):
        _select("SELECT 'infinity'::timestamptz")
