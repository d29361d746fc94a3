"""Vocabulary, refusal messages and the aid period (``Periode``) of the bansos context.

Only the *structure* of social aid lives here (kinds of programme, statuses, channels, the
reasons a recipient is suspended). Amounts, decile thresholds, exclusions and overlap rules
are effective-dated configuration (``konfigurasi.py``), never constants in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from egov.eventstore.domain import InvalidInput, InvalidState
from egov.principals import gettext_noop

# --- programmes ------------------------------------------------------------------------------
PKH, BPNT, BLT = "PKH", "BPNT", "BLT"
KELUARGA, PERORANGAN = "KELUARGA", "PERORANGAN"  # paid per household (KPM) or per person
TRIWULANAN, BULANAN, INSIDENTAL = "TRIWULANAN", "BULANAN", "INSIDENTAL"  # tranche schedules
DESIL_TERENDAH, DESIL_TERTINGGI = 1, 10  # DTSEN welfare deciles (Inpres 4/2025)

# PKH components (Permensos 1/2018 Pasal 5: kesehatan, pendidikan, kesejahteraan sosial).
IBU_HAMIL, ANAK_USIA_DINI = "IBU_HAMIL", "ANAK_USIA_DINI"
SD, SMP, SMA = "SD", "SMP", "SMA"
DISABILITAS_BERAT, LANJUT_USIA = "DISABILITAS_BERAT", "LANJUT_USIA"

# --- exclusion categories: who may not receive aid, and which replica says so --------------
ASN, TNI, POLRI = "ASN", "TNI", "POLRI"  # the civil service / military / police payroll lists
PEMILIK_USAHA = "PEMILIK_USAHA"  # owner of a business with an NIB (izin's published events)
KATEGORI_PENGECUALIAN = {
    ASN: gettext_noop("Aparatur Sipil Negara"),
    TNI: gettext_noop("Anggota TNI"),
    POLRI: gettext_noop("Anggota POLRI"),
    PEMILIK_USAHA: gettext_noop("Pemilik usaha ber-NIB"),
}

# --- identity, as bansos's own Dukcapil replica knows it --------------------------------------
# Status values are the published ones (egov.contracts.ktp.VERIFIED / NONAKTIF); the reasons
# are the values of NIKDinonaktifkan.alasan.
MENINGGAL, GANDA = "MENINGGAL", "GANDA"

# --- statuses --------------------------------------------------------------------------------
DIAJUKAN, DIVERIFIKASI, DITOLAK = "DIAJUKAN", "DIVERIFIKASI", "DITOLAK"  # a proposal
# A recipient (OpenSPP membership: enrolled / paused / exited).
AKTIF, DITANGGUHKAN = "AKTIF", "DITANGGUHKAN"
DIGRADUASI, DIKELUARKAN = "DIGRADUASI", "DIKELUARKAN"
# Why a recipient is suspended.
NIK_NONAKTIF, TIDAK_LAYAK, LAINNYA = "NIK_NONAKTIF", "TIDAK_LAYAK", "LAINNYA"
ALASAN_PENANGGUHAN = (MENINGGAL, NIK_NONAKTIF, TIDAK_LAYAK, LAINNYA)
DITERIMA = "DITERIMA"  # an appeal's decision: DITERIMA | DITOLAK
KEPUTUSAN_KEBERATAN = (DITERIMA, DITOLAK)
# A disbursement cycle (OpenG2P: draft -> to_approve -> approved -> distributed -> ended).
DRAF, DISETUJUI, DISALURKAN, DITUTUP = "DRAF", "DISETUJUI", "DISALURKAN", "DITUTUP"
# A payment instruction.
DIBUAT, TERSALUR, GAGAL = "DIBUAT", "TERSALUR", "GAGAL"
TIDAK_DIAMBIL, DIALIHKAN_KE_POS = "TIDAK_DIAMBIL", "DIALIHKAN_KE_POS"
DIKEMBALIKAN, DIBATALKAN = "DIKEMBALIKAN", "DIBATALKAN"
INSTRUKSI_FINAL = frozenset({TERSALUR, GAGAL, DIKEMBALIKAN, DIBATALKAN})

# --- channels: the state banks (Himbara, plus BSI in Aceh under Qanun 11/2018) or PT Pos ------
POS = "POS"
BANK_HIMBARA = ("BRI", "BNI", "MANDIRI", "BTN", "BSI")
KANAL = (*BANK_HIMBARA, POS)

# --- messages (Bahasa Indonesia; the front doors translate them) -----------------------------
MSG_ATURAN_TIDAK_ADA = gettext_noop("Belum ada ketentuan {aturan} yang berlaku pada {tanggal}.")
MSG_PERIODE_TIDAK_VALID = gettext_noop(
    "Periode harus berbentuk TTTT-BB (bulanan) atau TTTT-TWn (triwulan 1 sampai 4)."
)
MSG_PERIODE_TIDAK_SESUAI = gettext_noop(
    "Periode tidak sesuai dengan jadwal penyaluran program ini."
)
MSG_DESIL = gettext_noop("Desil kesejahteraan harus bilangan bulat 1 sampai 10.")
MSG_ANGGOTA_KOSONG = gettext_noop("Usulan harus memuat sedikitnya satu anggota keluarga.")
MSG_ANGGOTA_GANDA = gettext_noop("Satu NIK tercantum lebih dari sekali dalam usulan.")
MSG_PERORANGAN_SATU = gettext_noop("Usulan program perorangan memuat tepat satu orang.")
MSG_PENGURUS = gettext_noop("Pengurus (penerima dana) harus salah satu anggota dalam usulan.")
MSG_KOMPONEN = gettext_noop("Komponen {komponen} tidak dikenal dalam program ini.")
MSG_HASH = gettext_noop("NIK dan nomor KK hanya diterima sebagai hash berkunci (64 heksadesimal).")
MSG_KODE_WILAYAH = gettext_noop("Kode wilayah harus 10 digit kode desa/kelurahan Kemendagri.")
MSG_WAJIB_ISI = gettext_noop("{isian} wajib diisi.")
MSG_SUDAH_ADA = gettext_noop("Usulan ini sudah diajukan.")
MSG_TAHAP = gettext_noop("{hal} dalam status {status} tidak dapat {aksi}.")
MSG_EMPAT_MATA = gettext_noop(
    "Prinsip empat mata: {aksi} harus dilakukan petugas lain, bukan yang {peran}."
)
MSG_TIDAK_LAYAK = gettext_noop("Tidak memenuhi syarat kelayakan: {kode}.")
MSG_ALASAN_PENANGGUHAN = gettext_noop(
    "Alasan penangguhan harus MENINGGAL, NIK_NONAKTIF, TIDAK_LAYAK atau LAINNYA."
)
MSG_KEPUTUSAN_KEBERATAN = gettext_noop("Keputusan keberatan harus DITERIMA atau DITOLAK.")
MSG_KEBERATAN_TERBUKA = gettext_noop("Masih ada keberatan yang belum dijawab.")
MSG_TIDAK_ADA_KEBERATAN = gettext_noop("Tidak ada keberatan yang menunggu jawaban.")
MSG_BUKAN_BERSYARAT = gettext_noop("Program ini tidak mempunyai kewajiban kepatuhan.")
MSG_KOMPONEN_BUKAN_MILIK = gettext_noop("Keluarga ini tidak mempunyai komponen {komponen}.")
MSG_KANAL = gettext_noop("Kanal penyaluran harus salah satu bank Himbara atau POS.")
MSG_TAHAP_SIKLUS = gettext_noop("Tahap penyaluran harus bilangan bulat mulai 1.")
MSG_PROGRAM_LAIN = gettext_noop("Penerima ini terdaftar pada program lain.")
MSG_BELUM_BERLAKU = gettext_noop("Penetapan penerima ini belum berlaku pada periode siklus.")
MSG_PENERIMA_TIDAK_AKTIF = gettext_noop("Penerima dalam status {status} tidak dapat dibayar.")
MSG_GANDA_DALAM_SIKLUS = gettext_noop("Keluarga ini sudah mendapat instruksi dalam siklus ini.")
MSG_NOMINAL_NOL = gettext_noop("Tidak ada nominal bantuan yang dapat dibayarkan.")
MSG_NOMINAL = gettext_noop("Nominal harus bilangan bulat rupiah lebih dari nol.")
MSG_INSTRUKSI_TIDAK_DIKENAL = gettext_noop("Instruksi pembayaran ini tidak dikenal.")
MSG_INSTRUKSI_DIBATALKAN = gettext_noop("Instruksi pembayaran ini sudah dibatalkan.")
MSG_INSTRUKSI_STATUS = gettext_noop(
    "Instruksi pembayaran dalam status {status} tidak dapat {aksi}."
)
MSG_SUDAH_DISALURKAN = gettext_noop(
    "Dana instruksi ini sudah disalurkan dengan nomor transaksi lain."
)
MSG_REKONSILIASI = gettext_noop(
    "Rekonsiliasi tidak seimbang: {belum} instruksi belum final, selisih Rp{selisih}."
)

# --- why each eligibility rule fails (the codes are in kelayakan.py) -------------------------
MSG_NIK_BELUM_TERVERIFIKASI = gettext_noop("NIK belum dipadankan dengan data Dukcapil.")
MSG_NIK_NONAKTIF = gettext_noop("NIK ini telah dinonaktifkan oleh Dukcapil.")
MSG_MENINGGAL = gettext_noop("Menurut Dukcapil, pemilik NIK ini telah meninggal dunia.")
MSG_NIK_DI_BANYAK_KK = gettext_noop("NIK ini tercatat di lebih dari satu Kartu Keluarga.")
MSG_BUKAN_ANGGOTA_KK = gettext_noop("NIK ini tidak tercatat dalam Kartu Keluarga yang diusulkan.")
MSG_GANDA_NIK = gettext_noop("NIK ini sudah menerima program yang sama pada periode ini.")
MSG_GANDA_KK = gettext_noop("Keluarga ini sudah menerima program yang sama pada periode ini.")
MSG_DIKECUALIKAN = gettext_noop(
    "Termasuk kelompok yang dikecualikan (ASN, TNI, POLRI atau pemilik usaha)."
)
MSG_DESIL_DI_ATAS_BATAS = gettext_noop("Desil kesejahteraan di atas batas program ini.")
MSG_TUMPANG_TINDIH = gettext_noop(
    "Sudah menerima program lain yang tidak boleh diterima bersamaan pada periode ini."
)
MSG_REKENING_BERSAMA = gettext_noop(
    "Rekening bank ini juga dipakai keluarga lain: perlu ditinjau."
)
MSG_DESIL_BELUM_DIPADANKAN = gettext_noop(
    "Desil belum dipadankan dengan DTSEN: dipakai desil dari usulan, perlu ditinjau."
)

# --- time: dates are Indonesian calendar days ------------------------------------------------
WIB = ZoneInfo("Asia/Jakarta")


def tanggal_wib(saat: datetime) -> date:
    """The calendar date in Jakarta of an aware instant. A naive one is a programming error."""
    if saat.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return saat.astimezone(WIB).date()


def wajib_isi(nilai: str, isian: str) -> str:
    """``nilai`` stripped; empty is refused (``<isian>_wajib``)."""
    if not isinstance(nilai, str) or not nilai.strip():
        raise InvalidInput(MSG_WAJIB_ISI.format(isian=isian), code=f"{isian}_wajib")
    return nilai.strip()


_HASH = re.compile(r"^[0-9a-f]{64}$")


def periksa_hash(nilai: str) -> str:
    """A keyed hash (HMAC-SHA256, hex): the domain never sees a NIK or KK number in clear, so
    a 16-digit number here is a caller's mistake that must not reach an event."""
    if not isinstance(nilai, str) or not _HASH.match(nilai):
        raise InvalidInput(MSG_HASH, code="hash_tidak_valid")
    return nilai


def tolak_tahap(hal: str, status: str, aksi: str) -> InvalidState:
    return InvalidState(MSG_TAHAP.format(hal=hal, status=status or "-", aksi=aksi), code="tahap")


# --- the aid period --------------------------------------------------------------------------
_PERIODE = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|TW([1-4]))$")


@dataclass(frozen=True, order=True)
class Periode:
    """A month (``2025-03``: BPNT, and BLT named by the month of its ad hoc round) or a quarter
    (``2025-TW1``: PKH). Events carry its string form; overlap is by calendar days, so a
    quarter of PKH and a month of BLT inside it are the same period for the overlap rules."""

    awal: date
    akhir: date  # inclusive
    teks: str

    @classmethod
    def parse(cls, teks: str) -> Periode:
        match = _PERIODE.match(teks.strip()) if isinstance(teks, str) else None
        if not match:
            raise InvalidInput(MSG_PERIODE_TIDAK_VALID, code="periode_tidak_valid")
        tahun = int(match[1])
        pertama = int(match[2]) if match[2] else 3 * int(match[3]) - 2
        bulan_terakhir = int(match[2]) if match[2] else pertama + 2
        return cls(date(tahun, pertama, 1), _akhir_bulan(tahun, bulan_terakhir), match[0])

    def __str__(self) -> str:
        return self.teks

    @property
    def triwulan(self) -> bool:
        return "TW" in self.teks

    def cocok_dengan(self, jadwal: str) -> bool:
        """A quarterly programme needs a quarter, every other schedule a month."""
        return self.triwulan == (jadwal == TRIWULANAN)

    def beririsan(self, lain: Periode) -> bool:
        return self.awal <= lain.akhir and lain.awal <= self.akhir


def _akhir_bulan(tahun: int, bulan: int) -> date:
    awal_berikut = date(tahun + bulan // 12, bulan % 12 + 1, 1)
    return awal_berikut - timedelta(days=1)
