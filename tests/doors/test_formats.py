"""One date and money format everywhere, in the citizen's language and time zone."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from egov.portal.templatetags.egov import rupiah, tanggal, waktu


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "29 November 2026, 14.50 WIB"), ("en", "29 November 2026, 14.50 WIB")],
)
def test_a_moment_is_shown_in_wib_with_the_month_in_words(language, expected):
    with translation.override(language):
        assert waktu(datetime(2026, 11, 29, 7, 50, tzinfo=UTC)) == expected


def test_month_names_follow_the_language():
    with translation.override("id"):
        assert tanggal(date(2026, 8, 17)) == "17 Agustus 2026"
    with translation.override("en"):
        assert tanggal(date(2026, 8, 17)) == "17 August 2026"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1250000"), "Rp1.250.000"),
        (Decimal("1250000.50"), "Rp1.250.000,50"),
        (Decimal("0"), "Rp0"),
        (Decimal("-5000"), "-Rp5.000"),
    ],
)
def test_money_is_written_the_indonesian_way(amount, expected):
    assert rupiah(amount) == expected
