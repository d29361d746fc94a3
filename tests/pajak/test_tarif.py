"""Tax computations on the seed configuration: exact rupiah."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.pajak.domain import tarif
from apps.pajak.domain.konfigurasi import Lapisan, MasaBerlakuBilling, TabelTER, berlaku
from apps.pajak.domain.rules import Masa
from apps.pajak.domain.tarif_bawaan import KONFIGURASI_BAWAAN, TER_A, TER_B, TER_C
from egov.eventstore.domain import InvalidInput, InvalidState

K = KONFIGURASI_BAWAAN
MEI_2025 = Masa(2025, 5)


@pytest.mark.parametrize(
    ("status", "bruto", "kategori", "tarif_ter", "pph"),
    [
        ("TK/0", 10_000_000, "A", "0.02", 200_000),
        ("TK/1", 8_000_000, "A", "0.015", 120_000),
        ("K/0", 5_400_000, "A", "0", 0),  # the top of the 0% bracket
        ("K/0", 5_400_001, "A", "0.0025", 13_500),  # 13.500,0025 rounded down
        ("TK/0", 5_650_001, "A", "0.005", 28_250),  # 28.250,005 rounded down
        ("K/1", 10_000_000, "B", "0.015", 150_000),
        ("TK/2", 8_000_000, "B", "0.01", 80_000),
        ("K/2", 25_000_000, "B", "0.09", 2_250_000),
        ("K/3", 8_000_000, "C", "0.01", 80_000),
        ("K/3", 11_000_000, "C", "0.0175", 192_500),
        ("TK/0", 2_000_000_000, "A", "0.34", 680_000_000),  # the open top bracket
    ],
)
def test_pph21_ter_uses_the_category_of_the_ptkp_status(status, bruto, kategori, tarif_ter, pph):
    hasil = tarif.pph21_ter(bruto=bruto, status=status, masa=MEI_2025, konfigurasi=K)
    assert (hasil.kategori, hasil.tarif, hasil.pph) == (kategori, Decimal(tarif_ter), pph)


def test_ter_category_mapping_of_every_ptkp_status():
    mapping = {s: tarif.kategori_ter(s, date(2025, 1, 1), K) for s in (
        "TK/0", "TK/1", "K/0", "TK/2", "TK/3", "K/1", "K/2", "K/3")}  # fmt: skip
    assert mapping == {
        "TK/0": "A", "TK/1": "A", "K/0": "A",
        "TK/2": "B", "TK/3": "B", "K/1": "B", "K/2": "B",
        "K/3": "C",
    }  # fmt: skip


def test_seed_ter_tables_are_ordered_and_end_with_an_open_34_percent_bracket():
    for tabel, jumlah in ((TER_A, 44), (TER_B, 40), (TER_C, 41)):
        batas = [lapisan.batas_atas for lapisan in tabel[:-1]]
        assert batas == sorted(batas)
        assert len(tabel) == jumlah
        assert (tabel[-1].batas_atas, tabel[-1].tarif) == (None, Decimal("0.34"))


def test_an_unknown_ptkp_status_is_refused():
    with pytest.raises(InvalidInput) as refused:
        tarif.pph21_ter(bruto=1, status="K/4", masa=MEI_2025, konfigurasi=K)
    assert refused.value.code == "status_ptkp_tidak_valid"


def test_ter_before_2024_has_no_rule_in_force():
    with pytest.raises(InvalidState) as refused:
        tarif.pph21_ter(bruto=10_000_000, status="TK/0", masa=Masa(2023, 12), konfigurasi=K)
    assert refused.value.code == "aturan_tidak_ada"


def test_ptkp_per_status():
    pada = date(2025, 1, 1)
    assert tarif.ptkp_setahun("TK/0", pada, K) == 54_000_000
    assert tarif.ptkp_setahun("K/0", pada, K) == 58_500_000
    assert tarif.ptkp_setahun("K/3", pada, K) == 72_000_000
    assert tarif.ptkp_setahun("TK/2", pada, K) == 63_000_000


def _setahun(status: str, gaji: int, iuran_bulanan: int = 0) -> tarif.PPh21Desember:
    """Withhold January to November with TER, then recompute December."""
    dipotong = sum(
        tarif.pph21_ter(bruto=gaji, status=status, masa=Masa(2025, bulan), konfigurasi=K).pph
        for bulan in range(1, 12)
    )
    return tarif.pph21_desember(
        bruto_setahun=12 * gaji,
        iuran_pensiun_setahun=12 * iuran_bulanan,
        status=status,
        dipotong_jan_nov=dipotong,
        tahun=2025,
        konfigurasi=K,
    )


def test_december_recomputes_the_year_with_pasal_17_minus_january_to_november():
    # TK/0, Rp10.000.000 a month, JHT 2% + JP 1% paid by the employee (Rp300.000 a month).
    hasil = _setahun("TK/0", 10_000_000, iuran_bulanan=300_000)
    assert hasil == tarif.PPh21Desember(
        bruto_setahun=120_000_000,
        biaya_jabatan=6_000_000,  # 5% = 6.000.000, at the yearly cap
        iuran_pensiun=3_600_000,
        neto_setahun=110_400_000,
        ptkp=54_000_000,
        pkp=56_400_000,
        pph_setahun=2_820_000,  # 5% x 56.400.000
        dipotong_jan_nov=2_200_000,  # 11 x 2% x 10.000.000
        pph_desember=620_000,
    )


def test_december_recomputation_across_two_pasal_17_brackets():
    # K/1 (category B, 9% a month on Rp25.000.000); PKP 231.000.000:
    # 5% x 60.000.000 + 15% x 171.000.000 = 3.000.000 + 25.650.000.
    hasil = _setahun("K/1", 25_000_000)
    assert (hasil.ptkp, hasil.pkp, hasil.pph_setahun) == (63_000_000, 231_000_000, 28_650_000)
    assert (hasil.dipotong_jan_nov, hasil.pph_desember) == (24_750_000, 3_900_000)


def test_december_gives_back_what_was_over_withheld():
    hasil = tarif.pph21_desember(
        bruto_setahun=50_000_000,
        iuran_pensiun_setahun=0,
        status="TK/0",
        dipotong_jan_nov=100_000,
        tahun=2025,
        konfigurasi=K,
    )
    assert (hasil.biaya_jabatan, hasil.pkp, hasil.pph_setahun) == (2_500_000, 0, 0)
    assert hasil.pph_desember == -100_000


def test_pasal_17_reaches_35_percent_and_rounds_pkp_down_to_thousands():
    # 3.000.000 + 28.500.000 + 62.500.000 + 1.350.000.000 + 350.000.000
    assert tarif.pph_pasal17(pkp=6_000_000_999, tahun=2025, konfigurasi=K) == 1_794_000_000


def test_pasal_17_brackets_follow_the_tax_year():
    # UU 36/2008 (5% up to 50 million) before UU HPP (5% up to 60 million) from 2022.
    assert tarif.pph_pasal17(pkp=60_000_000, tahun=2021, konfigurasi=K) == 4_000_000
    assert tarif.pph_pasal17(pkp=60_000_000, tahun=2022, konfigurasi=K) == 3_000_000


def test_ppn_12_percent_on_an_11_12_base_is_11_percent_effective():
    hasil = tarif.ppn(harga_jual=1_000_000, mewah=False, pada=date(2025, 3, 1), konfigurasi=K)
    assert (hasil.dpp, hasil.tarif, hasil.ppn) == (916_666, Decimal("0.12"), 110_000)
    sisa = tarif.ppn(harga_jual=999_999, mewah=False, pada=date(2025, 3, 1), konfigurasi=K)
    assert sisa.ppn == 109_999  # 109.999,89 rounded down


def test_ppn_on_luxury_goods_is_12_percent_of_the_price_from_february_2025():
    maret = tarif.ppn(harga_jual=1_000_000, mewah=True, pada=date(2025, 3, 1), konfigurasi=K)
    januari = tarif.ppn(harga_jual=1_000_000, mewah=True, pada=date(2025, 1, 15), konfigurasi=K)
    assert (maret.dpp, maret.ppn) == (1_000_000, 120_000)
    assert (januari.dpp, januari.ppn) == (916_666, 110_000)  # the January transition


def test_ppn_in_2024_is_11_percent_of_the_price():
    hasil = tarif.ppn(harga_jual=1_000_000, mewah=False, pada=date(2024, 6, 1), konfigurasi=K)
    assert (hasil.dpp, hasil.tarif, hasil.ppn) == (1_000_000, Decimal("0.11"), 110_000)


def test_pph_badan_is_22_percent_from_2020_and_25_before():
    assert tarif.pph_badan(pkp=1_234_567_890, tahun=2024, konfigurasi=K) == 271_604_740
    assert tarif.pph_badan(pkp=1_234_567_890, tahun=2019, konfigurasi=K) == 308_641_750


def test_amounts_are_whole_rupiah_never_floats():
    with pytest.raises(InvalidInput) as refused:
        tarif.pph21_ter(bruto=10_000_000.0, status="TK/0", masa=MEI_2025, konfigurasi=K)
    assert refused.value.code == "penghasilan_tidak_valid"


def test_a_later_row_replaces_an_earlier_one_from_its_date():
    rows = (
        MasaBerlakuBilling(date(2016, 1, 1), timedelta(days=7)),
        MasaBerlakuBilling(date(2025, 12, 17), timedelta(days=14)),
    )
    assert berlaku(rows, date(2025, 12, 16), "x").durasi == timedelta(days=7)
    assert berlaku(rows, date(2025, 12, 17), "x").durasi == timedelta(days=14)


def test_an_edited_configuration_changes_the_result_without_code_changes():
    # The admin adds a TER row for 2026 with a flat 1% (hypothetical): May 2026 uses it,
    # May 2025 keeps the seed.
    flat = TabelTER("A", date(2026, 1, 1), (Lapisan(None, Decimal("0.01")),))
    edited = dataclasses.replace(K, ter=(*K.ter, flat))
    mei_2026 = tarif.pph21_ter(
        bruto=10_000_000, status="TK/0", masa=Masa(2026, 5), konfigurasi=edited
    )
    mei_2025 = tarif.pph21_ter(bruto=10_000_000, status="TK/0", masa=MEI_2025, konfigurasi=edited)
    assert (mei_2026.pph, mei_2025.pph) == (100_000, 200_000)
