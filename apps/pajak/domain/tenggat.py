"""Payment and filing deadlines of a tax period (PMK 81/2024; UU KUP Pasal 3 ayat 3), on the
platform's one working-day calendar: a deadline on a Saturday, Sunday, national holiday or
joint leave day moves to the next working day."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from apps.pajak.domain.konfigurasi import KonfigurasiPajak, Tenggat
from apps.pajak.domain.rules import Masa
from egov.harikerja import geser_ke_hari_kerja


@dataclass(frozen=True)
class JatuhTempo:
    bayar: date
    lapor: date
    dasar_hukum: str


def tanggal_tenggat(masa: Masa, tenggat: Tenggat, libur: frozenset[date]) -> date:
    """The deadline ``tenggat`` of ``masa``: counted in months from the period's last month,
    then moved past weekends and holidays."""
    tahun, bulan = masa.bulan_terakhir
    indeks = tahun * 12 + (bulan - 1) + tenggat.bulan_setelah_masa
    tahun, bulan = divmod(indeks, 12)
    bulan += 1
    akhir = calendar.monthrange(tahun, bulan)[1]
    hari = akhir if tenggat.tanggal is None else min(tenggat.tanggal, akhir)
    return geser_ke_hari_kerja(date(tahun, bulan, hari), libur)


def jatuh_tempo(
    jenis_pajak: str, masa: Masa, konfigurasi: KonfigurasiPajak, libur: frozenset[date]
) -> JatuhTempo:
    """When ``masa``'s tax must be paid and its return filed, by the rule in force on the
    period's first day."""
    aturan = konfigurasi.tenggat_pada(jenis_pajak, masa.awal)
    return JatuhTempo(
        bayar=tanggal_tenggat(masa, aturan.bayar, libur),
        lapor=tanggal_tenggat(masa, aturan.lapor, libur),
        dasar_hukum=aturan.dasar_hukum,
    )
