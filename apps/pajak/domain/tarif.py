"""Tax computations (plain Python): PPh 21 with monthly effective rates (TER) and the December
recomputation, PPh Pasal 17 for individuals, PPh badan, PPN.

Amounts are whole rupiah; arithmetic is exact (``Fraction``) and every tax is rounded *down*
to the rupiah once, at the end, as DJP's applications do. Taxable income (PKP) is first
rounded down to whole thousands (UU PPh Pasal 17 ayat 4). The rates come from the
``KonfigurasiPajak`` passed in, looked up on the date the tax belongs to.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from apps.pajak.domain.konfigurasi import KonfigurasiPajak, Lapisan
from apps.pajak.domain.rules import (
    MSG_NOMINAL,
    MSG_PENGHASILAN_NEGATIF,
    MSG_STATUS_PTKP,
    Masa,
)
from egov.eventstore.domain import InvalidInput

_STATUS_PTKP = re.compile(r"^(TK|K)/([0-3])$")


def bulat_bawah(nilai: Fraction | Decimal | int) -> int:
    """Down to the whole rupiah (DJP never rounds a tax up)."""
    return math.floor(Fraction(nilai))


def bulat_ribuan(rupiah: int) -> int:
    """Taxable income rounded down to whole thousands (UU PPh Pasal 17 ayat 4)."""
    return rupiah // 1000 * 1000


def rupiah(nilai: int) -> int:
    """An amount to pay: whole rupiah, an ``int`` (never a float, never a bool), above zero."""
    if isinstance(nilai, bool) or not isinstance(nilai, int) or nilai < 1:
        raise InvalidInput(MSG_NOMINAL, code="nominal_tidak_valid")
    return nilai


def _penghasilan(*nilai: int) -> None:
    for n in nilai:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidInput(MSG_PENGHASILAN_NEGATIF, code="penghasilan_tidak_valid")


def status_ptkp(teks: str) -> tuple[bool, int]:
    """``"K/2"`` -> (married, 2 dependants). Statuses TK/0 ... TK/3 and K/0 ... K/3."""
    match = _STATUS_PTKP.match(teks.strip().upper())
    if not match:
        raise InvalidInput(MSG_STATUS_PTKP, code="status_ptkp_tidak_valid")
    return match[1] == "K", int(match[2])


def _kunci_ptkp(teks: str) -> str:
    kawin, tanggungan = status_ptkp(teks)
    return f"{'K' if kawin else 'TK'}/{tanggungan}"


# --- PPh 21: monthly effective rates (PP 58/2023, PMK 168/2023) -----------------------------
@dataclass(frozen=True)
class PPh21Bulanan:
    kategori: str
    tarif: Decimal
    bruto: int
    pph: int


def kategori_ter(status: str, pada: date, konfigurasi: KonfigurasiPajak) -> str:
    """TK/0, TK/1, K/0 -> A; TK/2, TK/3, K/1, K/2 -> B; K/3 -> C (in the seed mapping)."""
    return konfigurasi.pemetaan_ter(pada).kategori[_kunci_ptkp(status)]


def tarif_lapisan(lapisan: tuple[Lapisan, ...], nilai: int) -> Decimal:
    """The rate of the bracket holding ``nilai`` (brackets ordered, upper bounds inclusive)."""
    for baris in lapisan:
        if baris.batas_atas is None or nilai <= baris.batas_atas:
            return baris.tarif
    raise ValueError("the last bracket must have no upper bound")


def pph21_ter(
    *, bruto: int, status: str, masa: Masa, konfigurasi: KonfigurasiPajak
) -> PPh21Bulanan:
    """PPh 21 withheld in January to November: TER rate of the month's gross income x that
    income (PMK 168/2023). The PTKP status is the one at the start of the year."""
    _penghasilan(bruto)
    kategori = kategori_ter(status, masa.awal, konfigurasi)
    tarif = tarif_lapisan(konfigurasi.tabel_ter(kategori, masa.awal).lapisan, bruto)
    return PPh21Bulanan(kategori, tarif, bruto, bulat_bawah(Fraction(tarif) * bruto))


# --- PPh Pasal 17 for individuals (UU HPP) ---------------------------------------------------
def pajak_progresif(pkp: int, lapisan: tuple[Lapisan, ...]) -> int:
    """Each bracket's rate on the part of ``pkp`` inside it (exact, rounded down once)."""
    total, bawah = Fraction(0), 0
    for baris in lapisan:
        atas = pkp if baris.batas_atas is None else min(pkp, baris.batas_atas)
        if atas > bawah:
            total += Fraction(baris.tarif) * (atas - bawah)
        if baris.batas_atas is None or pkp <= baris.batas_atas:
            break
        bawah = baris.batas_atas
    return bulat_bawah(total)


def pph_pasal17(*, pkp: int, tahun: int, konfigurasi: KonfigurasiPajak) -> int:
    """An individual's yearly income tax on taxable income ``pkp`` (rounded to thousands)."""
    _penghasilan(pkp)
    lapisan = konfigurasi.pasal17_pada(date(tahun, 1, 1)).lapisan
    return pajak_progresif(bulat_ribuan(pkp), lapisan)


def ptkp_setahun(status: str, pada: date, konfigurasi: KonfigurasiPajak) -> int:
    kawin, tanggungan = status_ptkp(status)
    aturan = konfigurasi.ptkp_pada(pada)
    return (
        aturan.wajib_pajak
        + (aturan.kawin if kawin else 0)
        + aturan.per_tanggungan * min(tanggungan, aturan.tanggungan_maks)
    )


@dataclass(frozen=True)
class PPh21Desember:
    """The last tax period's recomputation: the year's tax under Pasal 17 minus what January
    to November withheld. ``pph_desember`` below zero is over-withholding the employer
    refunds to the employee (PMK 168/2023)."""

    bruto_setahun: int
    biaya_jabatan: int
    iuran_pensiun: int
    neto_setahun: int
    ptkp: int
    pkp: int
    pph_setahun: int
    dipotong_jan_nov: int
    pph_desember: int


def pph21_desember(
    *,
    bruto_setahun: int,
    iuran_pensiun_setahun: int,
    status: str,
    dipotong_jan_nov: int,
    tahun: int,
    konfigurasi: KonfigurasiPajak,
) -> PPh21Desember:
    """A permanent employee's December PPh 21 for a full year of work.

    ``iuran_pensiun_setahun``: the employee's own pension and old-age contributions (JHT,
    JP), deductible like the employment cost (biaya jabatan)."""
    _penghasilan(bruto_setahun, iuran_pensiun_setahun, dipotong_jan_nov)
    awal_tahun = date(tahun, 1, 1)
    aturan_bj = konfigurasi.biaya_jabatan_pada(awal_tahun)
    biaya = min(bulat_bawah(Fraction(aturan_bj.persen) * bruto_setahun), aturan_bj.maks_setahun)
    neto = max(bruto_setahun - biaya - iuran_pensiun_setahun, 0)
    ptkp = ptkp_setahun(status, awal_tahun, konfigurasi)
    pkp = bulat_ribuan(max(neto - ptkp, 0))
    setahun = pph_pasal17(pkp=pkp, tahun=tahun, konfigurasi=konfigurasi)
    return PPh21Desember(
        bruto_setahun=bruto_setahun,
        biaya_jabatan=biaya,
        iuran_pensiun=iuran_pensiun_setahun,
        neto_setahun=neto,
        ptkp=ptkp,
        pkp=pkp,
        pph_setahun=setahun,
        dipotong_jan_nov=dipotong_jan_nov,
        pph_desember=setahun - dipotong_jan_nov,
    )


# --- PPh badan (UU PPh Pasal 17 ayat 1 huruf b, UU HPP) --------------------------------------
def pph_badan(*, pkp: int, tahun: int, konfigurasi: KonfigurasiPajak) -> int:
    """A company's yearly income tax: the single rate of its tax year on ``pkp`` rounded down
    to thousands. (The Pasal 31E reduction for small turnovers is not modelled.)"""
    _penghasilan(pkp)
    tarif = konfigurasi.pph_badan_pada(date(tahun, 1, 1)).tarif
    return bulat_bawah(Fraction(tarif) * bulat_ribuan(pkp))


# --- PPN (UU PPN as amended by UU HPP; PMK 131/2024) -----------------------------------------
@dataclass(frozen=True)
class PPNTerutang:
    harga_jual: int
    dpp: int  # the base, rounded down for display; the tax is computed on the exact base
    tarif: Decimal
    ppn: int


def ppn(*, harga_jual: int, mewah: bool, pada: date, konfigurasi: KonfigurasiPajak) -> PPNTerutang:
    """VAT on a delivery on ``pada``: rate x base, the base being the price times the share in
    force (11/12 for non-luxury goods from 2025: 12% x 11/12 = 11% effective)."""
    _penghasilan(harga_jual)
    aturan = konfigurasi.ppn_pada(pada)
    dpp = Fraction(harga_jual) * (aturan.dpp_mewah if mewah else aturan.dpp_non_mewah)
    pajak = bulat_bawah(dpp * Fraction(aturan.tarif))
    return PPNTerutang(harga_jual, bulat_bawah(dpp), aturan.tarif, pajak)
