"""The one working-day calendar of egov (plain Python), shared by every context that counts
deadlines: izin's service levels (PP 28/2025) and pajak's payment and filing deadlines
(PMK 81/2024: a deadline on a Saturday, Sunday, national holiday or joint leave day moves to
the next working day).

Working days are Monday to Friday minus the holidays. Holidays (national holidays and *cuti
bersama*, set each year by a joint ministerial decree) are configuration: the caller reads
them and passes them in as a ``frozenset[date]``, so a domain never reads a database and a
replay recomputes nothing. Dates are calendar days in Indonesia (see ``egov.clock.today``).
"""

from __future__ import annotations

from datetime import date, timedelta

TANPA_LIBUR: frozenset[date] = frozenset()
SABTU = 5  # date.weekday(): Monday 0 ... Saturday 5, Sunday 6


def hari_kerja(tanggal: date, libur: frozenset[date] = TANPA_LIBUR) -> bool:
    """Is ``tanggal`` a working day (Monday to Friday and not a holiday)?"""
    return tanggal.weekday() < SABTU and tanggal not in libur


def geser_ke_hari_kerja(tanggal: date, libur: frozenset[date] = TANPA_LIBUR) -> date:
    """``tanggal`` itself when it is a working day, else the next working day: where a
    deadline lands that falls on a weekend or a holiday."""
    while not hari_kerja(tanggal, libur):
        tanggal += timedelta(days=1)
    return tanggal


def tambah_hari_kerja(mulai: date, hari: int, libur: frozenset[date] = TANPA_LIBUR) -> date:
    """The date ``hari`` working days after ``mulai`` (the starting day itself not counted;
    ``hari=0`` gives ``mulai``)."""
    tanggal = mulai
    while hari > 0:
        tanggal += timedelta(days=1)
        if hari_kerja(tanggal, libur):
            hari -= 1
    return tanggal


def libur_dalam(mulai: date, tenggat: date | None, libur: frozenset[date]) -> tuple[str, ...]:
    """The holidays (ISO dates) after ``mulai`` up to ``tenggat`` that a deadline skipped.
    Recorded with the deadline, so the read side counts the days left on the same calendar the
    deadline was computed with, even after the holiday table changes."""
    if tenggat is None:
        return ()
    return tuple(d.isoformat() for d in sorted(libur) if mulai < d <= tenggat)


def sisa_hari_kerja(hari_ini: date, tenggat: date, libur: frozenset[date] = TANPA_LIBUR) -> int:
    """Working days left until ``tenggat`` (0 on the day itself, negative once missed)."""
    if tenggat >= hari_ini:
        return sum(
            1
            for n in range(1, (tenggat - hari_ini).days + 1)
            if hari_kerja(hari_ini + timedelta(days=n), libur)
        )
    return -sisa_hari_kerja(tenggat, hari_ini, libur)
