"""SEED DATA for the admin-editable tax configuration: the first rows of each effective-dated
table, with their legal source. NOT constants of the domain: the command always passes the
configuration in, read from the tables the admin maintains; these values only fill those
tables the first time (and serve the tests and the demo). When a regulation changes, add a
row with a new ``berlaku_mulai`` in the admin; never edit a past row, so a return for an old
period is still computed with the rules of its time.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from apps.pajak.domain.konfigurasi import (
    PTKP,
    AturanTenggat,
    BiayaJabatan,
    DendaTelatLapor,
    KategoriTER,
    KonfigurasiPajak,
    Lapisan,
    MasaBerlakuBilling,
    TabelTER,
    TarifPasal17,
    TarifPPhBadan,
    TarifPPN,
    Tenggat,
)
from apps.pajak.domain.rules import (
    PPH21,
    PPH_BADAN,
    PPH_OP,
    PPN,
    SPT_MASA_LAIN,
    SPT_MASA_PPN,
    SPT_TAHUNAN_BADAN,
    SPT_TAHUNAN_OP,
)


def _lapisan(*baris: tuple[int | None, str]) -> tuple[Lapisan, ...]:
    """(upper bound in rupiah, rate in percent as written in the regulation)."""
    return tuple(Lapisan(atas, Decimal(persen) / 100) for atas, persen in baris)


# --- PPh 21 TER (PP 58/2023, Lampiran; PMK 168/2023), from 1 January 2024 --------------------
PP_58_2023 = "PP 58/2023 Lampiran; PMK 168/2023"
TER_MULAI = date(2024, 1, 1)
# Upper bound of each bracket of the month's gross income (inclusive) and its rate.
TER_A = _lapisan(
    (5_400_000, "0"), (5_650_000, "0.25"), (5_950_000, "0.5"), (6_300_000, "0.75"),
    (6_750_000, "1"), (7_500_000, "1.25"), (8_550_000, "1.5"), (9_650_000, "1.75"),
    (10_050_000, "2"), (10_350_000, "2.25"), (10_700_000, "2.5"), (11_050_000, "3"),
    (11_600_000, "3.5"), (12_500_000, "4"), (13_750_000, "5"), (15_100_000, "6"),
    (16_950_000, "7"), (19_750_000, "8"), (24_150_000, "9"), (26_450_000, "10"),
    (28_000_000, "11"), (30_050_000, "12"), (32_400_000, "13"), (35_400_000, "14"),
    (39_100_000, "15"), (43_850_000, "16"), (47_800_000, "17"), (51_400_000, "18"),
    (56_300_000, "19"), (62_200_000, "20"), (68_600_000, "21"), (77_500_000, "22"),
    (89_000_000, "23"), (103_000_000, "24"), (125_000_000, "25"), (157_000_000, "26"),
    (206_000_000, "27"), (337_000_000, "28"), (454_000_000, "29"), (550_000_000, "30"),
    (695_000_000, "31"), (910_000_000, "32"), (1_400_000_000, "33"), (None, "34"),
)  # fmt: skip
TER_B = _lapisan(
    (6_200_000, "0"), (6_500_000, "0.25"), (6_850_000, "0.5"), (7_300_000, "0.75"),
    (9_200_000, "1"), (10_750_000, "1.5"), (11_250_000, "2"), (11_600_000, "2.5"),
    (12_600_000, "3"), (13_600_000, "4"), (14_950_000, "5"), (16_400_000, "6"),
    (18_450_000, "7"), (21_850_000, "8"), (26_000_000, "9"), (27_700_000, "10"),
    (29_350_000, "11"), (31_450_000, "12"), (33_950_000, "13"), (37_100_000, "14"),
    (41_100_000, "15"), (45_800_000, "16"), (49_500_000, "17"), (53_800_000, "18"),
    (58_500_000, "19"), (64_000_000, "20"), (71_000_000, "21"), (80_000_000, "22"),
    (93_000_000, "23"), (109_000_000, "24"), (129_000_000, "25"), (163_000_000, "26"),
    (211_000_000, "27"), (374_000_000, "28"), (459_000_000, "29"), (555_000_000, "30"),
    (704_000_000, "31"), (957_000_000, "32"), (1_405_000_000, "33"), (None, "34"),
)  # fmt: skip
TER_C = _lapisan(
    (6_600_000, "0"), (6_950_000, "0.25"), (7_350_000, "0.5"), (7_800_000, "0.75"),
    (8_850_000, "1"), (9_800_000, "1.25"), (10_950_000, "1.5"), (11_200_000, "1.75"),
    (12_050_000, "2"), (12_950_000, "3"), (14_150_000, "4"), (15_550_000, "5"),
    (17_050_000, "6"), (19_500_000, "7"), (22_700_000, "8"), (26_600_000, "9"),
    (28_100_000, "10"), (30_100_000, "11"), (32_600_000, "12"), (35_400_000, "13"),
    (38_900_000, "14"), (43_000_000, "15"), (47_400_000, "16"), (51_200_000, "17"),
    (55_800_000, "18"), (60_400_000, "19"), (66_700_000, "20"), (74_500_000, "21"),
    (83_200_000, "22"), (95_600_000, "23"), (110_000_000, "24"), (134_000_000, "25"),
    (169_000_000, "26"), (221_000_000, "27"), (390_000_000, "28"), (463_000_000, "29"),
    (561_000_000, "30"), (709_000_000, "31"), (965_000_000, "32"), (1_419_000_000, "33"),
    (None, "34"),
)  # fmt: skip
TER = (
    TabelTER("A", TER_MULAI, TER_A, PP_58_2023),
    TabelTER("B", TER_MULAI, TER_B, PP_58_2023),
    TabelTER("C", TER_MULAI, TER_C, PP_58_2023),
)
# PP 58/2023: category A for PTKP TK/0, TK/1, K/0; B for TK/2, TK/3, K/1, K/2; C for K/3.
KATEGORI_TER = (
    KategoriTER(
        TER_MULAI,
        MappingProxyType({"TK/0": "A", "TK/1": "A", "K/0": "A", "TK/2": "B", "TK/3": "B",
                          "K/1": "B", "K/2": "B", "K/3": "C"}),
        PP_58_2023,
    ),
)  # fmt: skip

# --- PTKP (PMK 101/PMK.010/2016, kept by UU HPP), from tax year 2016 ------------------------
PTKP_BAWAAN = (PTKP(date(2016, 1, 1), 54_000_000, 4_500_000, 4_500_000, 3, "PMK 101/PMK.010/2016"),)

# --- Pasal 17 ayat 1 huruf a: individuals -----------------------------------------------------
PASAL17 = (
    TarifPasal17(
        date(2009, 1, 1),
        _lapisan((50_000_000, "5"), (250_000_000, "15"), (500_000_000, "25"), (None, "30")),
        "UU 36/2008 Pasal 17 ayat 1 huruf a",
    ),
    TarifPasal17(
        date(2022, 1, 1),
        _lapisan(
            (60_000_000, "5"),
            (250_000_000, "15"),
            (500_000_000, "25"),
            (5_000_000_000, "30"),
            (None, "35"),
        ),
        "UU 7/2021 (HPP) Pasal 17 ayat 1 huruf a",
    ),
)

# --- biaya jabatan: 5% of gross pay, at most Rp6.000.000 a year (Rp500.000 a month) ----------
BIAYA_JABATAN = (BiayaJabatan(date(2009, 1, 1), Decimal("0.05"), 6_000_000, "PMK 250/PMK.03/2008"),)

# --- PPN ---------------------------------------------------------------------------------------
PPN_BAWAAN = (
    TarifPPN(date(2022, 4, 1), Decimal("0.11"), dasar_hukum="UU PPN Pasal 7 ayat 1 (UU 7/2021)"),
    # From 2025 the rate is 12%; non-luxury goods and services are taxed on 11/12 of the price
    # (11% effective). In January 2025 luxury goods (PPnBM) were on 11/12 too (transition).
    TarifPPN(
        date(2025, 1, 1),
        Decimal("0.12"),
        dpp_non_mewah=Fraction(11, 12),
        dpp_mewah=Fraction(11, 12),
        dasar_hukum="PMK 131/2024 (transisi Januari 2025)",
    ),
    TarifPPN(
        date(2025, 2, 1),
        Decimal("0.12"),
        dpp_non_mewah=Fraction(11, 12),
        dpp_mewah=Fraction(1),
        dasar_hukum="PMK 131/2024",
    ),
)

# --- PPh badan: 25% (UU 36/2008), 22% from tax year 2020 (UU 2/2020), kept by UU HPP ---------
PPH_BADAN_BAWAAN = (
    TarifPPhBadan(date(2010, 1, 1), Decimal("0.25"), "UU 36/2008 Pasal 17 ayat 2a"),
    TarifPPhBadan(date(2020, 1, 1), Decimal("0.22"), "UU 2/2020; UU 7/2021 (HPP) Pasal 17"),
)

# --- billing code validity (MPN G3) -------------------------------------------------------------
# 7 x 24 hours; 14 x 24 hours for codes issued from 17 December 2025 (as stated in issue 11 for
# Coretax; the admin row should cite the DJP announcement once confirmed).
MASA_BERLAKU_BILLING = (
    MasaBerlakuBilling(date(2016, 1, 1), timedelta(days=7), "DJP: kode billing 7 x 24 jam"),
    MasaBerlakuBilling(date(2025, 12, 17), timedelta(days=14), "DJP: kode billing 14 x 24 jam"),
)

# --- late-filing fines (UU 28/2007 KUP Pasal 7 ayat 1) --------------------------------------
UU_KUP = "UU 28/2007 (KUP) Pasal 7 ayat 1"
DENDA = (
    DendaTelatLapor(SPT_MASA_PPN, date(2008, 1, 1), 500_000, UU_KUP),
    DendaTelatLapor(SPT_MASA_LAIN, date(2008, 1, 1), 100_000, UU_KUP),
    DendaTelatLapor(SPT_TAHUNAN_BADAN, date(2008, 1, 1), 1_000_000, UU_KUP),
    DendaTelatLapor(SPT_TAHUNAN_OP, date(2008, 1, 1), 100_000, UU_KUP),
)

# --- deadlines (PMK 81/2024, Coretax, for tax periods from January 2025) ---------------------
# A deadline on a Saturday, Sunday or holiday moves to the next working day (egov/harikerja).
PMK_81_2024 = "PMK 81/2024"
CORETAX_MULAI = date(2025, 1, 1)
UU_KUP_TAHUNAN = "UU 28/2007 (KUP) Pasal 3 ayat 3 dan Pasal 9 ayat 2b"
TENGGAT = (
    # PPh 21: pay by the 15th of the next month, file by the 20th.
    AturanTenggat(PPH21, CORETAX_MULAI, Tenggat(1, 15), Tenggat(1, 20), PMK_81_2024),
    # PPN: pay and file by the end of the next month (pay before filing).
    AturanTenggat(PPN, CORETAX_MULAI, Tenggat(1, None), Tenggat(1, None), PMK_81_2024),
    # Annual returns: 3 months after the tax year (31 March) for individuals, 4 months
    # (30 April) for companies; the balance (PPh Pasal 29) is paid before filing.
    AturanTenggat(PPH_OP, date(2008, 1, 1), Tenggat(3, None), Tenggat(3, None), UU_KUP_TAHUNAN),
    AturanTenggat(PPH_BADAN, date(2008, 1, 1), Tenggat(4, None), Tenggat(4, None), UU_KUP_TAHUNAN),
)

KONFIGURASI_BAWAAN = KonfigurasiPajak(
    ter=TER,
    kategori_ter=KATEGORI_TER,
    ptkp=PTKP_BAWAAN,
    pasal17=PASAL17,
    biaya_jabatan=BIAYA_JABATAN,
    ppn=PPN_BAWAAN,
    pph_badan=PPH_BADAN_BAWAAN,
    masa_berlaku_billing=MASA_BERLAKU_BILLING,
    denda=DENDA,
    tenggat=TENGGAT,
)
