"""The one working-day calendar (egov/harikerja.py), without a database."""

from datetime import date

import pytest

from egov.harikerja import (
    geser_ke_hari_kerja,
    hari_kerja,
    libur_dalam,
    sisa_hari_kerja,
    tambah_hari_kerja,
)

# Idul Fitri 1446 H (31 March and 1 April 2025) and its joint leave days (2, 3, 4, 7 April),
# with Nyepi's joint leave on Friday 28 March: the calendar set by the 2025 SKB.
LEBARAN_2025 = frozenset(date(2025, 3, d) for d in (28, 31)) | frozenset(
    date(2025, 4, d) for d in (1, 2, 3, 4, 7)
)


@pytest.mark.parametrize(
    ("tanggal", "expected"),
    [
        (date(2025, 3, 27), True),  # Thursday
        (date(2025, 3, 28), False),  # Friday, joint leave
        (date(2025, 3, 29), False),  # Saturday
        (date(2025, 3, 30), False),  # Sunday
        (date(2025, 4, 8), True),  # Tuesday after the holidays
    ],
)
def test_hari_kerja_is_monday_to_friday_minus_holidays(tanggal, expected):
    assert hari_kerja(tanggal, LEBARAN_2025) is expected


def test_a_working_day_stays_where_it_is():
    assert geser_ke_hari_kerja(date(2025, 4, 15), LEBARAN_2025) == date(2025, 4, 15)


def test_a_saturday_moves_to_monday():
    assert geser_ke_hari_kerja(date(2025, 11, 15)) == date(2025, 11, 17)


def test_a_deadline_inside_the_lebaran_holidays_moves_past_all_of_them():
    # The 2025 annual individual return was due on Monday 31 March (Idul Fitri): the next
    # working day is Tuesday 8 April.
    assert geser_ke_hari_kerja(date(2025, 3, 31), LEBARAN_2025) == date(2025, 4, 8)
    assert geser_ke_hari_kerja(date(2025, 3, 31)) == date(2025, 3, 31)  # no holidays known


def test_tambah_hari_kerja_skips_weekends_and_holidays():
    assert tambah_hari_kerja(date(2025, 3, 27), 1, LEBARAN_2025) == date(2025, 4, 8)
    assert tambah_hari_kerja(date(2025, 3, 27), 3, LEBARAN_2025) == date(2025, 4, 10)
    assert tambah_hari_kerja(date(2025, 3, 27), 3) == date(2025, 4, 1)
    assert tambah_hari_kerja(date(2025, 3, 27), 0, LEBARAN_2025) == date(2025, 3, 27)


def test_libur_dalam_lists_the_skipped_holidays_after_the_start():
    assert libur_dalam(date(2025, 3, 28), date(2025, 4, 2), LEBARAN_2025) == (
        "2025-03-31",
        "2025-04-01",
        "2025-04-02",
    )
    assert libur_dalam(date(2025, 3, 28), None, LEBARAN_2025) == ()


def test_sisa_hari_kerja_counts_down_and_goes_negative_once_missed():
    assert sisa_hari_kerja(date(2025, 3, 27), date(2025, 4, 10), LEBARAN_2025) == 3
    assert sisa_hari_kerja(date(2025, 4, 10), date(2025, 4, 10), LEBARAN_2025) == 0
    assert sisa_hari_kerja(date(2025, 4, 10), date(2025, 3, 27), LEBARAN_2025) == -3
