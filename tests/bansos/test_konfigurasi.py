"""Programmes as effective-dated rows: the row in force on a day, never one starting later;
amounts from components or a flat rate; overlap rules binding both ways; the aid period."""

import dataclasses
from datetime import date

import pytest

from apps.bansos.domain.konfigurasi import (
    BLT_2025,
    BPNT_2025,
    KONFIGURASI_BAWAAN,
    PKH_2025,
    Komponen,
    KonfigurasiBansos,
)
from apps.bansos.domain.rules import (
    ANAK_USIA_DINI,
    BLT,
    BPNT,
    DISABILITAS_BERAT,
    IBU_HAMIL,
    LANJUT_USIA,
    PKH,
    SD,
    SMA,
    SMP,
    Periode,
)
from egov.eventstore.domain import InvalidInput, InvalidState

HARI_INI = date(2025, 7, 1)
BESOK = date(2025, 7, 2)


def test_seed_programmes_are_in_force_from_2025():
    assert KONFIGURASI_BAWAAN.program_pada(PKH, date(2025, 1, 1)) == PKH_2025
    assert KONFIGURASI_BAWAAN.program_pada(BPNT, HARI_INI) == BPNT_2025
    assert KONFIGURASI_BAWAAN.program_pada(BLT, date(2026, 12, 31)) == BLT_2025


def test_no_programme_in_force_is_refused_with_aturan_tidak_ada():
    with pytest.raises(InvalidState) as refused:
        KONFIGURASI_BAWAAN.program_pada(PKH, date(2024, 12, 31))
    assert refused.value.code == "aturan_tidak_ada"
    assert refused.value.message == (
        "Belum ada ketentuan program PKH yang berlaku pada 2024-12-31."
    )
    with pytest.raises(InvalidState) as unknown:
        KONFIGURASI_BAWAAN.program_pada("ATENSI", HARI_INI)
    assert unknown.value.code == "aturan_tidak_ada"


def test_a_row_starting_tomorrow_is_not_used_today():
    naik = dataclasses.replace(BPNT_2025, berlaku_mulai=BESOK, nominal_tetap=250_000)
    konfigurasi = KonfigurasiBansos(program=(BPNT_2025, naik))
    assert konfigurasi.program_pada(BPNT, HARI_INI).nominal_tetap == 200_000
    assert konfigurasi.program_pada(BPNT, BESOK).nominal_tetap == 250_000


def test_only_a_row_starting_tomorrow_is_refused_today():
    konfigurasi = KonfigurasiBansos(program=(dataclasses.replace(BLT_2025, berlaku_mulai=BESOK),))
    with pytest.raises(InvalidState) as refused:
        konfigurasi.program_pada(BLT, HARI_INI)
    assert refused.value.code == "aturan_tidak_ada"


def test_pkh_pays_the_four_largest_components_per_tranche():
    assert PKH_2025.nominal_per_tahap([SD]) == 225_000
    assert PKH_2025.nominal_per_tahap([IBU_HAMIL, SD, SMP]) == 750_000 + 225_000 + 375_000
    # Six components: the four largest count (750 + 750 + 600 + 600 thousand).
    enam = [SD, SMP, IBU_HAMIL, ANAK_USIA_DINI, LANJUT_USIA, DISABILITAS_BERAT]
    assert PKH_2025.komponen_dihitung(enam) == (
        IBU_HAMIL,
        ANAK_USIA_DINI,
        LANJUT_USIA,
        DISABILITAS_BERAT,
    )
    assert PKH_2025.nominal_per_tahap(enam) == 2_700_000
    assert PKH_2025.nominal_per_tahap([]) == 0
    assert PKH_2025.nominal_per_tahap([SMA, "BUKAN_KOMPONEN"]) == 500_000


def test_flat_programmes_ignore_components():
    assert BPNT_2025.nominal_per_tahap([]) == 200_000
    assert BLT_2025.nominal_per_tahap([SD, SMP]) == 300_000


def test_a_component_amount_changes_from_its_row_date():
    baru = dataclasses.replace(
        PKH_2025, berlaku_mulai=BESOK, komponen=(*PKH_2025.komponen[:2], Komponen(SD, 250_000))
    )
    konfigurasi = KonfigurasiBansos(program=(PKH_2025, baru))
    assert konfigurasi.program_pada(PKH, HARI_INI).nominal_per_tahap([SD]) == 225_000
    assert konfigurasi.program_pada(PKH, BESOK).nominal_per_tahap([SD]) == 250_000


def test_overlap_rules_bind_both_ways():
    assert KONFIGURASI_BAWAAN.tidak_bersama(BLT, HARI_INI) == {PKH, BPNT}
    assert KONFIGURASI_BAWAAN.tidak_bersama(PKH, HARI_INI) == {BLT}
    assert KONFIGURASI_BAWAAN.tidak_bersama(BPNT, HARI_INI) == {BLT}


def test_an_overlap_rule_lifted_by_a_later_row():
    dicabut = dataclasses.replace(BLT_2025, berlaku_mulai=BESOK, tidak_bersama=())
    konfigurasi = KonfigurasiBansos(program=(PKH_2025, BPNT_2025, BLT_2025, dicabut))
    assert konfigurasi.tidak_bersama(PKH, HARI_INI) == {BLT}
    assert konfigurasi.tidak_bersama(PKH, BESOK) == frozenset()


@pytest.mark.parametrize(
    ("teks", "awal", "akhir"),
    [
        ("2025-03", date(2025, 3, 1), date(2025, 3, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2025-TW1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-TW4", date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_periods_are_months_or_quarters(teks, awal, akhir):
    periode = Periode.parse(teks)
    assert (periode.awal, periode.akhir, str(periode)) == (awal, akhir, teks)


@pytest.mark.parametrize("teks", ["2025", "2025-13", "2025-TW5", "2025-3", "25-03", ""])
def test_malformed_periods_are_refused(teks):
    with pytest.raises(InvalidInput) as refused:
        Periode.parse(teks)
    assert refused.value.code == "periode_tidak_valid"


def test_a_month_inside_a_quarter_overlaps_it():
    assert Periode.parse("2025-TW1").beririsan(Periode.parse("2025-03"))
    assert not Periode.parse("2025-TW1").beririsan(Periode.parse("2025-04"))
