"""NIK validation in layers (DOMAIN.md): syntax and serial, birth date, region as a warning."""

import re
from datetime import date

import pytest

from egov.identity import (
    MSG_NIK_FORMAT,
    MSG_NIK_SERIAL,
    MSG_NIK_TANGGAL,
    WARN_KABUPATEN,
    WARN_PROVINSI,
    InvalidNIK,
    RegionWarning,
    parse_nik,
)

TODAY = date(2026, 11, 25)


def test_a_woman_born_17_august_1985_in_bandung():
    nik = parse_nik("327301 570885 0001", today=TODAY)

    assert nik.value == "3273015708850001"
    assert (nik.birth_date, nik.female) == (date(1985, 8, 17), True)
    assert (nik.province, nik.regency, nik.warnings) == ("Jawa Barat", "Kota Bandung", ())


def test_a_man_keeps_his_day_of_birth():
    nik = parse_nik("3204011203900002", today=TODAY)

    assert (nik.birth_date, nik.female) == (date(1990, 3, 12), False)
    assert nik.regency == "Kabupaten Bandung"


@pytest.mark.parametrize(
    ("raw", "born"),
    [
        ("3273012902000001", date(2000, 2, 29)),  # 2000 is a leap year (1900 was not)
        ("3273012902960001", date(1996, 2, 29)),  # 2096 would be in the future
        ("3273010101990001", date(1999, 1, 1)),  # the century is inferred: 2099 is future
        ("3273010101200001", date(2020, 1, 1)),
    ],
)
def test_the_century_is_inferred_and_29_february_checked_per_century(raw, born):
    assert parse_nik(raw, today=TODAY).birth_date == born


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("3273012902010001", MSG_NIK_TANGGAL),  # 29-02-2001 and 29-02-1901 do not exist
        ("3273013213850001", MSG_NIK_TANGGAL),  # month 13
        ("3273017208850001", MSG_NIK_TANGGAL),  # day 72 (a woman's day 32)
        ("3273015708850000", MSG_NIK_SERIAL),
        ("327301570885000", MSG_NIK_FORMAT),
        ("32730157088500O1", MSG_NIK_FORMAT),
    ],
)
def test_invalid_niks_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(InvalidNIK, match=re.escape(message)):
        parse_nik(raw, today=TODAY)


def test_papua_codes_before_and_after_2022_are_both_known():
    after = parse_nik("9103010101900001", today=TODAY)  # 91 = Papua since 2022
    before = parse_nik("9471010101900001", today=TODAY)  # 94 = Papua before 2022

    assert after.province == "Papua (sebelum 2022: Papua Barat)"
    assert before.province == "Papua Tengah (sebelum 2022: Papua)"
    assert after.warnings == before.warnings == ()
    assert parse_nik("9601010101900001", today=TODAY).province == "Papua Barat Daya"


def test_an_unknown_region_is_a_warning_never_an_error():
    unknown_province = parse_nik("9901010101900001", today=TODAY)
    unknown_regency = parse_nik("3299010101900001", today=TODAY)

    assert unknown_province.warnings == (RegionWarning(WARN_PROVINSI, "99"),)
    assert unknown_regency.warnings == (RegionWarning(WARN_KABUPATEN, "3299"),)
    assert str(unknown_regency.warnings[0]) == WARN_KABUPATEN.format(kode="3299")


# Digits from other scripts. NFKC turns full-width digits (an East Asian keyboard) into ASCII,
# so they are the same NIK; every other script's digits stay non-ASCII and are a syntax error.
# Either way one person never gets two NIKs (two keyed hashes) for one number.
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in "3273015708850001")
ARABIC_INDIC = "".join(chr(0x0660 + int(d)) for d in "3273015708850001")
DEVANAGARI = "".join(chr(0x0966 + int(d)) for d in "3273015708850001")


def test_full_width_digits_are_the_same_ascii_nik():
    nik = parse_nik(FULL_WIDTH, today=TODAY)

    assert nik.value == "3273015708850001"
    assert nik == parse_nik("3273015708850001", today=TODAY)


def test_an_ideographic_space_is_a_space():
    assert parse_nik("327301\u3000570885\u30000001", today=TODAY).value == "3273015708850001"


def test_other_compatibility_digits_nfkc_maps_to_ascii_are_the_same_nik():
    superscript_ones = "32730157088500" + "\u00b9\u00b9"

    assert parse_nik(superscript_ones, today=TODAY).value == "3273015708850011"


@pytest.mark.parametrize(
    "raw",
    [ARABIC_INDIC, DEVANAGARI, "327301570885000" + chr(0x0661)],  # last: one among ASCII
)
def test_digits_that_are_not_ascii_after_nfkc_are_a_syntax_error(raw):
    assert raw.isdigit()  # what str.isdigit() used to let through
    with pytest.raises(InvalidNIK, match=re.escape(MSG_NIK_FORMAT)):
        parse_nik(raw, today=TODAY)
