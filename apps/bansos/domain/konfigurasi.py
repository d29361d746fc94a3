"""Effective-dated configuration of the bansos context: programmes as data.

A programme (``Program``) is a row in force from ``berlaku_mulai`` (an Indonesian calendar day)
until a later row with the same ``kode`` replaces it: its amounts, its welfare-decile threshold,
its exclusion categories and the programmes it may not be combined with all change by adding a
row, never by editing one, so a past period is still judged by the rules of its time. The admin
edits the rows; the command reads them into a ``KonfigurasiBansos`` and passes it in; events
record the values a rule produced (components, amounts), so a replay never looks one up again.

Money is whole rupiah (``int``) per tranche of the programme's schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from apps.bansos.domain.rules import (
    ANAK_USIA_DINI,
    ASN,
    BLT,
    BPNT,
    BULANAN,
    DISABILITAS_BERAT,
    IBU_HAMIL,
    INSIDENTAL,
    KELUARGA,
    LANJUT_USIA,
    MSG_ATURAN_TIDAK_ADA,
    PEMILIK_USAHA,
    PKH,
    POLRI,
    SD,
    SMA,
    SMP,
    TNI,
    TRIWULANAN,
)
from egov.eventstore.domain import InvalidState


@dataclass(frozen=True)
class Komponen:
    """One PKH component and what it pays per tranche (per person counted)."""

    kode: str
    nominal_per_tahap: int


@dataclass(frozen=True)
class Program:
    """A social-aid programme as in force from ``berlaku_mulai``.

    ``jenis``: KELUARGA (one payment per household, deduplicated by KK and NIK) or PERORANGAN
    (one person, deduplicated by NIK). ``jadwal``: TRIWULANAN (periods ``2025-TW1``), BULANAN
    or INSIDENTAL (periods ``2025-03``). A household is paid the sum of its components
    (``komponen``, at most ``komponen_maks`` of them counted, the largest first) or the flat
    ``nominal_tetap``. ``pengecualian``: exclusion categories that bar a household when any
    member is in one; ``tidak_bersama``: programmes that may not be received in an overlapping
    period (the rule holds both ways); ``bersyarat``: conditional cash (PKH) whose compliance
    is recorded."""

    kode: str
    nama: str
    jenis: str
    desil_maks: int
    jadwal: str
    berlaku_mulai: date
    komponen: tuple[Komponen, ...] = ()
    komponen_maks: int = 0  # 0: every component counts
    nominal_tetap: int = 0
    pengecualian: tuple[str, ...] = ()
    tidak_bersama: tuple[str, ...] = ()
    bersyarat: bool = False
    dasar_hukum: str = ""

    @property
    def kode_komponen(self) -> frozenset[str]:
        return frozenset(k.kode for k in self.komponen)

    def komponen_dihitung(self, komponen: Sequence[str]) -> tuple[str, ...]:
        """The components that are paid: known ones, the largest amounts first, at most
        ``komponen_maks`` (PKH pays up to four persons per family). Ties keep the given order,
        so the same household always gets the same answer."""
        tarif = {k.kode: k.nominal_per_tahap for k in self.komponen}
        dikenal = sorted((k for k in komponen if k in tarif), key=lambda k: -tarif[k])
        return tuple(dikenal[: self.komponen_maks] if self.komponen_maks else dikenal)

    def nominal_per_tahap(self, komponen: Sequence[str]) -> int:
        """What one household (or person) is paid for one tranche."""
        if not self.komponen:
            return self.nominal_tetap
        tarif = {k.kode: k.nominal_per_tahap for k in self.komponen}
        return sum(tarif[k] for k in self.komponen_dihitung(komponen))


def berlaku(aturan: Iterable[Program], pada: date, kode: str) -> Program:
    """The row of ``kode`` in force on ``pada``: among its rows already in force, the one that
    started last. None in force is a refusal (``aturan_tidak_ada``): aid is never decided or
    paid on a guess, and a row starting tomorrow is not used today."""
    cocok = [a for a in aturan if a.kode == kode and a.berlaku_mulai <= pada]
    if not cocok:
        message = MSG_ATURAN_TIDAK_ADA.format(aturan=f"program {kode}", tanggal=pada.isoformat())
        raise InvalidState(message, code="aturan_tidak_ada")
    return max(cocok, key=lambda a: a.berlaku_mulai)


@dataclass(frozen=True)
class KonfigurasiBansos:
    """Every programme row, as the command read them."""

    program: tuple[Program, ...] = ()

    def program_pada(self, kode: str, tanggal: date) -> Program:
        return berlaku(self.program, tanggal, kode)

    def tidak_bersama(self, kode: str, tanggal: date) -> frozenset[str]:
        """Programmes that may not be combined with ``kode`` on ``tanggal``: those its own row
        names, and those whose row in force names it (a rule written on one side binds both)."""
        sendiri = self.program_pada(kode, tanggal).tidak_bersama
        lain = set()
        for kode_lain in {p.kode for p in self.program} - {kode}:
            baris = [p for p in self.program if p.kode == kode_lain and p.berlaku_mulai <= tanggal]
            if baris and kode in max(baris, key=lambda p: p.berlaku_mulai).tidak_bersama:
                lain.add(kode_lain)
        return frozenset(sendiri) | frozenset(lain)


# --- SEED rows (the first rows of the admin's table; not constants of the domain) -----------
# Figures as published for 2025, TO BE CONFIRMED BY THE OPERATOR before go-live:
# - PKH: Permensos 1/2018 tentang Program Keluarga Harapan; yearly index per component as in
#   the Kepdirjen Linjamsos on PKH aid indices used since 2020 (ibu hamil/nifas Rp3.000.000,
#   anak usia dini Rp3.000.000, SD Rp900.000, SMP Rp1.500.000, SMA Rp2.000.000, disabilitas
#   berat Rp2.400.000, lanjut usia 70+ Rp2.400.000), paid in four quarterly tranches; at most
#   four persons counted per family.
# - BPNT (Program Sembako): Permensos 20/2019; Rp200.000 per household per month.
# - BLT: an ad hoc cash round; Rp300.000 per household per month as BLT Desa 2025
#   (PMK 108/2024); not for households receiving PKH or BPNT in the same period.
# - Targeting: DTSEN deciles 1-4 (Inpres 4/2025).
DASAR_PKH = "Permensos 1/2018; Kepdirjen Linjamsos indeks PKH; Inpres 4/2025 (DTSEN)"
DASAR_BPNT = "Permensos 20/2019; Inpres 4/2025 (DTSEN)"
DASAR_BLT = "PMK 108/2024 (BLT Desa); Inpres 4/2025 (DTSEN)"
MULAI_2025 = date(2025, 1, 1)
PENGECUALIAN_BAWAAN = (ASN, TNI, POLRI, PEMILIK_USAHA)

PKH_2025 = Program(
    kode=PKH,
    nama="Program Keluarga Harapan",
    jenis=KELUARGA,
    desil_maks=4,
    jadwal=TRIWULANAN,
    berlaku_mulai=MULAI_2025,
    komponen=(
        Komponen(IBU_HAMIL, 750_000),
        Komponen(ANAK_USIA_DINI, 750_000),
        Komponen(SD, 225_000),
        Komponen(SMP, 375_000),
        Komponen(SMA, 500_000),
        Komponen(DISABILITAS_BERAT, 600_000),
        Komponen(LANJUT_USIA, 600_000),
    ),
    komponen_maks=4,
    pengecualian=PENGECUALIAN_BAWAAN,
    bersyarat=True,
    dasar_hukum=DASAR_PKH,
)
BPNT_2025 = Program(
    kode=BPNT,
    nama="Bantuan Pangan Non Tunai (Program Sembako)",
    jenis=KELUARGA,
    desil_maks=4,
    jadwal=BULANAN,
    berlaku_mulai=MULAI_2025,
    nominal_tetap=200_000,
    pengecualian=PENGECUALIAN_BAWAAN,
    dasar_hukum=DASAR_BPNT,
)
BLT_2025 = Program(
    kode=BLT,
    nama="Bantuan Langsung Tunai",
    jenis=KELUARGA,
    desil_maks=4,
    jadwal=INSIDENTAL,
    berlaku_mulai=MULAI_2025,
    nominal_tetap=300_000,
    pengecualian=PENGECUALIAN_BAWAAN,
    tidak_bersama=(PKH, BPNT),
    dasar_hukum=DASAR_BLT,
)
KONFIGURASI_BAWAAN = KonfigurasiBansos(program=(PKH_2025, BPNT_2025, BLT_2025))
