"""Builders shared by the pajak domain tests (plain Python, no database)."""

from datetime import datetime

from apps.pajak.domain.rules import TERVERIFIKASI, WIB
from apps.pajak.domain.tarif_bawaan import KONFIGURASI_BAWAAN
from apps.pajak.domain.wajib_pajak import (
    IdentitasDukcapil,
    WajibPajak,
    wajib_pajak_stream_id,
)

KONFIGURASI = KONFIGURASI_BAWAAN
NIK = "3273015708850001"
NIK_HASH = "a" * 64
NPWP_BADAN_15 = "01.312.166.0-091.000"  # check digit 0 over 01312166
NPWP_BADAN = "0013121660091000"
SUBJEK_BADAN = "b" * 64


def wib(*args: int) -> datetime:
    """An instant given as Jakarta wall-clock time."""
    return datetime(*args, tzinfo=WIB)


def orang_pribadi(sekarang: datetime | None = None) -> WajibPajak:
    wp = WajibPajak(wajib_pajak_stream_id(NIK_HASH))
    wp.daftar_orang_pribadi(
        nik=NIK,
        nik_hash=NIK_HASH,
        nama="Siti Aminah",
        identitas=IdentitasDukcapil(NIK_HASH, TERVERIFIKASI, "ktp-event-1"),
        sekarang=sekarang or wib(2025, 1, 6, 9, 0),
    )
    return wp


def badan(*, pkp: bool = False) -> WajibPajak:
    wp = WajibPajak(wajib_pajak_stream_id(SUBJEK_BADAN))
    wp.daftar_badan(
        npwp=NPWP_BADAN,
        subjek_id=SUBJEK_BADAN,
        nama="PT Maju Jaya",
        kode_wilayah="3273",
        sekarang=wib(2025, 1, 6),
    )
    if pkp:
        wp.kukuhkan_pkp(
            tanggal_pengukuhan=wib(2025, 1, 6).date(), petugas="p1", sekarang=wib(2025, 1, 6)
        )
    return wp
