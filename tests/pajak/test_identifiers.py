"""NPWP (NIK for individuals, NPWP16 for companies), NITKU, billing code and NTPN formats."""

from datetime import date

import pytest

from apps.pajak.domain import nomor
from apps.pajak.domain.rules import BADAN, OP
from egov.eventstore.domain import InvalidInput

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("raw", "npwp16"),
    [
        ("01.312.166.0-091.000", "0013121660091000"),  # old 15 digits, printed form
        ("016090524017000", "0016090524017000"),  # check digit 4 over 01609052
        ("0013121660091000", "0013121660091000"),  # NPWP16 = 0 + the 15
    ],
)
def test_company_npwp_with_a_correct_luhn_check_digit_is_accepted(raw, npwp16):
    npwp = nomor.npwp_badan(raw)
    assert (npwp.nomor, npwp.jenis) == (npwp16, BADAN)
    assert npwp.npwp15 == npwp16[1:]


def test_company_npwp_prints_in_the_old_15_digit_form():
    assert nomor.npwp_badan("0013121660091000").format15() == "01.312.166.0-091.000"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("01.312.166.1-091.000", "npwp_check_digit"),  # 9th digit should be 0
        ("0013121661091000", "npwp_check_digit"),  # same error in the 16-digit form
        ("016090520017000", "npwp_check_digit"),
        ("1013121660091000", "npwp_badan_tanpa_nol"),  # 16 digits must start with 0
        ("01312166009100", "npwp_format"),  # 14 digits
        ("01312166009100A", "npwp_format"),
        ("٠١٣١٢١٦٦٠٠٩١٠٠٠", "npwp_format"),  # Arabic-Indic digits are not digits here
    ],
)
def test_invalid_company_npwp_is_refused_with_its_code(raw, code):
    with pytest.raises(InvalidInput) as refused:
        nomor.npwp_badan(raw)
    assert refused.value.code == code


def test_an_individuals_npwp_is_their_nik():
    npwp = nomor.npwp_orang_pribadi("3273 0157 0885 0001", hari_ini=TODAY)
    assert (npwp.nomor, npwp.jenis, npwp.npwp15) == ("3273015708850001", OP, "")


@pytest.mark.parametrize("raw", ["3273015708850000", "3273019913850001", "327301570885"])
def test_an_invalid_nik_is_no_npwp(raw):
    with pytest.raises(InvalidInput) as refused:
        nomor.npwp_orang_pribadi(raw, hari_ini=TODAY)
    assert refused.value.code == "nik_tidak_valid"


def test_parse_npwp_tells_a_nik_from_a_company_npwp_by_the_leading_zero():
    assert nomor.parse_npwp("3273015708850001", hari_ini=TODAY).jenis == OP
    assert nomor.parse_npwp("0013121660091000", hari_ini=TODAY).jenis == BADAN
    assert nomor.parse_npwp("013121660091000", hari_ini=TODAY).nomor == "0013121660091000"


def test_nitku_is_the_npwp16_and_a_six_digit_place_code():
    cabang = nomor.parse_nitku("0013121660091000000001", hari_ini=TODAY)
    assert (cabang.npwp, cabang.kode_tku, cabang.pusat) == ("0013121660091000", "000001", False)
    pusat = nomor.nitku_pusat(nomor.npwp_badan("0013121660091000"))
    assert (pusat.nomor, pusat.pusat) == ("0013121660091000000000", True)
    orang = nomor.parse_nitku("3273015708850001000000", hari_ini=TODAY)
    assert orang.npwp == "3273015708850001"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("001312166009100000000", "nitku_format"),  # 21 digits
        ("0013121661091000000001", "npwp_check_digit"),  # its NPWP part is wrong
    ],
)
def test_invalid_nitku_is_refused(raw, code):
    with pytest.raises(InvalidInput) as refused:
        nomor.parse_nitku(raw, hari_ini=TODAY)
    assert refused.value.code == code


@pytest.mark.parametrize("kode", ["012345678901234", "312345678901234"])
def test_djp_billing_codes_start_with_0_to_3(kode):
    assert nomor.periksa_kode_billing(kode) == kode


@pytest.mark.parametrize("kode", ["412345678901234", "01234567890123", "01234567890123X"])
def test_other_billing_codes_are_refused(kode):
    with pytest.raises(InvalidInput) as refused:
        nomor.periksa_kode_billing(kode)
    assert refused.value.code == "kode_billing_format"


def test_ntpn_is_16_letters_or_digits_in_upper_case():
    assert nomor.periksa_ntpn(" 0a1b2c3d4e5f6g7h ") == "0A1B2C3D4E5F6G7H"
    for bad in ("0A1B2C3D4E5F6G7", "0A1B2C3D4E5F6G7-"):
        with pytest.raises(InvalidInput) as refused:
            nomor.periksa_ntpn(bad)
        assert refused.value.code == "ntpn_format"
