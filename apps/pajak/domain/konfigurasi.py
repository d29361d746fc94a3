"""Effective-dated configuration of the pajak context: the shapes of its tables.

Every rate, amount, validity period and deadline is a row with ``berlaku_mulai`` (in force
from that Indonesian calendar day until a later row of the same key replaces it) and the
``dasar_hukum`` it comes from. The admin edits the rows; the command reads them and passes a
``KonfigurasiPajak`` in; the domain never reads a database, and it records the values it used
in its events, so replaying history never looks a rule up again. The first rows are seeded
from ``tarif_bawaan.py``.

Money is whole rupiah (``int``); rates are exact ``Decimal`` fractions (``Decimal("0.0025")``
is 0.25%); ratios that no decimal writes exactly (11/12) are ``Fraction``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol, TypeVar

from apps.pajak.domain.rules import MSG_ATURAN_TIDAK_ADA
from egov.eventstore.domain import InvalidState


class _Berlaku(Protocol):
    @property
    def berlaku_mulai(self) -> date: ...


R = TypeVar("R", bound=_Berlaku)


def berlaku(aturan: Iterable[R], pada: date, nama: str, **kunci: object) -> R:
    """The row in force on ``pada``: among the rows matching ``kunci`` and already in force,
    the one that started last. None in force is a refusal (``aturan_tidak_ada``): a tax
    cannot be computed on a guess."""
    cocok = [
        a
        for a in aturan
        if a.berlaku_mulai <= pada and all(getattr(a, k) == v for k, v in kunci.items())
    ]
    if not cocok:
        message = MSG_ATURAN_TIDAK_ADA.format(aturan=nama, tanggal=pada.isoformat())
        raise InvalidState(message, code="aturan_tidak_ada")
    return max(cocok, key=lambda a: a.berlaku_mulai)


@dataclass(frozen=True)
class Lapisan:
    """One bracket: up to ``batas_atas`` rupiah inclusive (``None``: no upper bound)."""

    batas_atas: int | None
    tarif: Decimal


@dataclass(frozen=True)
class TabelTER:
    """A monthly effective rate table of PPh 21 (TER, PP 58/2023): the rate of the bracket
    holding the month's gross income applies to all of it."""

    kategori: str  # A | B | C
    berlaku_mulai: date
    lapisan: tuple[Lapisan, ...]
    dasar_hukum: str = ""


@dataclass(frozen=True)
class KategoriTER:
    """PTKP status (``TK/0`` ... ``K/3``) -> TER category."""

    berlaku_mulai: date
    kategori: Mapping[str, str]
    dasar_hukum: str = ""


@dataclass(frozen=True)
class PTKP:
    """Yearly non-taxable income: the taxpayer, a spouse, each dependant up to a maximum."""

    berlaku_mulai: date
    wajib_pajak: int
    kawin: int
    per_tanggungan: int
    tanggungan_maks: int
    dasar_hukum: str = ""


@dataclass(frozen=True)
class TarifPasal17:
    """Progressive rates on an individual's yearly taxable income (each bracket taxes only
    the part of the income inside it)."""

    berlaku_mulai: date
    lapisan: tuple[Lapisan, ...]
    dasar_hukum: str = ""


@dataclass(frozen=True)
class BiayaJabatan:
    """Employment cost deduction: a share of gross pay, capped per year."""

    berlaku_mulai: date
    persen: Decimal
    maks_setahun: int
    dasar_hukum: str = ""


@dataclass(frozen=True)
class TarifPPN:
    """VAT rate and the share of the price that is its base (DPP): a "nilai lain" base of
    11/12 keeps non-luxury goods at 11% effective under the 12% rate."""

    berlaku_mulai: date
    tarif: Decimal
    dpp_non_mewah: Fraction = Fraction(1)
    dpp_mewah: Fraction = Fraction(1)
    dasar_hukum: str = ""


@dataclass(frozen=True)
class TarifPPhBadan:
    berlaku_mulai: date
    tarif: Decimal
    dasar_hukum: str = ""


@dataclass(frozen=True)
class MasaBerlakuBilling:
    """How long a billing code issued from ``berlaku_mulai`` (Jakarta date) stays payable."""

    berlaku_mulai: date
    durasi: timedelta
    dasar_hukum: str = ""


@dataclass(frozen=True)
class DendaTelatLapor:
    """The fine for a return not filed by its deadline, per return category."""

    jenis_spt: str
    berlaku_mulai: date
    nominal: int
    dasar_hukum: str = ""


@dataclass(frozen=True)
class Tenggat:
    """A deadline: day ``tanggal`` (``None``: the last day) of the month that comes
    ``bulan_setelah_masa`` months after the period's last month."""

    bulan_setelah_masa: int
    tanggal: int | None


@dataclass(frozen=True)
class AturanTenggat:
    """When a tax of one period must be paid and its return filed (looked up on the first
    day of the period)."""

    jenis_pajak: str
    berlaku_mulai: date
    bayar: Tenggat
    lapor: Tenggat
    dasar_hukum: str = ""


@dataclass(frozen=True)
class KonfigurasiPajak:
    """All tables, as the command read them. Each lookup names the row in force on a date."""

    ter: tuple[TabelTER, ...] = ()
    kategori_ter: tuple[KategoriTER, ...] = ()
    ptkp: tuple[PTKP, ...] = ()
    pasal17: tuple[TarifPasal17, ...] = ()
    biaya_jabatan: tuple[BiayaJabatan, ...] = ()
    ppn: tuple[TarifPPN, ...] = ()
    pph_badan: tuple[TarifPPhBadan, ...] = ()
    masa_berlaku_billing: tuple[MasaBerlakuBilling, ...] = ()
    denda: tuple[DendaTelatLapor, ...] = ()
    tenggat: tuple[AturanTenggat, ...] = ()

    def tabel_ter(self, kategori: str, pada: date) -> TabelTER:
        return berlaku(self.ter, pada, f"TER kategori {kategori}", kategori=kategori)

    def pemetaan_ter(self, pada: date) -> KategoriTER:
        return berlaku(self.kategori_ter, pada, "kategori TER")

    def ptkp_pada(self, pada: date) -> PTKP:
        return berlaku(self.ptkp, pada, "PTKP")

    def pasal17_pada(self, pada: date) -> TarifPasal17:
        return berlaku(self.pasal17, pada, "tarif Pasal 17")

    def biaya_jabatan_pada(self, pada: date) -> BiayaJabatan:
        return berlaku(self.biaya_jabatan, pada, "biaya jabatan")

    def ppn_pada(self, pada: date) -> TarifPPN:
        return berlaku(self.ppn, pada, "tarif PPN")

    def pph_badan_pada(self, pada: date) -> TarifPPhBadan:
        return berlaku(self.pph_badan, pada, "tarif PPh badan")

    def masa_berlaku_billing_pada(self, pada: date) -> MasaBerlakuBilling:
        return berlaku(self.masa_berlaku_billing, pada, "masa berlaku kode billing")

    def denda_pada(self, jenis_spt: str, pada: date) -> DendaTelatLapor:
        return berlaku(self.denda, pada, f"denda {jenis_spt}", jenis_spt=jenis_spt)

    def tenggat_pada(self, jenis_pajak: str, pada: date) -> AturanTenggat:
        return berlaku(self.tenggat, pada, f"tenggat {jenis_pajak}", jenis_pajak=jenis_pajak)
