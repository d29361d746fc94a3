"""Vocabulary, refusal messages and the tax period (``Masa``) of the pajak context.

Only the *structure* of Indonesian taxes lives here (which taxes exist, which return each
needs, its account code). Every rate, amount, validity period and deadline is effective-dated
configuration (``tarif.py``; seed values in ``tarif_bawaan.py``), never a constant in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from egov.eventstore.domain import InvalidInput
from egov.principals import gettext_noop

# --- kinds of taxpayer (PMK 112/2022) -------------------------------------------------------
OP, BADAN = "OP", "BADAN"  # orang pribadi (NIK as NPWP) / badan (NPWP16)

# --- taxes, returns and their periods ---------------------------------------------------------
PPH21, PPN, PPH_BADAN, PPH_OP = "PPH21", "PPN", "PPH_BADAN", "PPH_OP"
BULANAN, TAHUNAN = "BULANAN", "TAHUNAN"
# Return categories of the late-filing fine (UU KUP Pasal 7 ayat 1).
SPT_MASA_PPN, SPT_MASA_LAIN = "SPT_MASA_PPN", "SPT_MASA_LAIN"
SPT_TAHUNAN_OP, SPT_TAHUNAN_BADAN = "SPT_TAHUNAN_OP", "SPT_TAHUNAN_BADAN"
JENIS_SPT = (SPT_MASA_PPN, SPT_MASA_LAIN, SPT_TAHUNAN_OP, SPT_TAHUNAN_BADAN)


@dataclass(frozen=True)
class JenisPajak:
    """A tax the context knows: its period, its return and its state account code (KAP/KJS,
    which a billing code carries). ``untuk`` limits it to one kind of taxpayer; ``perlu_pkp``
    to VAT-registered businesses."""

    kode: str
    periode: str
    jenis_spt: str
    kap: str
    kjs: str
    untuk: str | None = None
    perlu_pkp: bool = False


JENIS_PAJAK: dict[str, JenisPajak] = {
    # Employee withholding, filed by the employer (any kind of taxpayer) every month.
    PPH21: JenisPajak(PPH21, BULANAN, SPT_MASA_LAIN, kap="411121", kjs="100"),
    # VAT, only for a PKP (UU PPN Pasal 3A).
    PPN: JenisPajak(PPN, BULANAN, SPT_MASA_PPN, kap="411211", kjs="100", perlu_pkp=True),
    # Annual income tax: companies (PPh Pasal 29 badan) and individuals (PPh Pasal 29 OP).
    PPH_BADAN: JenisPajak(PPH_BADAN, TAHUNAN, SPT_TAHUNAN_BADAN, "411126", "200", BADAN),
    PPH_OP: JenisPajak(PPH_OP, TAHUNAN, SPT_TAHUNAN_OP, kap="411125", kjs="200", untuk=OP),
}

# --- statuses ---------------------------------------------------------------------------------
AKTIF, DIBAYAR, KEDALUWARSA = "AKTIF", "DIBAYAR", "KEDALUWARSA"  # a billing code
DRAF, MENUNGGU_PEMBAYARAN, DILAPORKAN = "DRAF", "MENUNGGU_PEMBAYARAN", "DILAPORKAN"  # an SPT
TERVERIFIKASI, NONAKTIF = "TERVERIFIKASI", "NONAKTIF"  # a NIK in pajak's Dukcapil replica

# --- messages (Bahasa Indonesia; the front doors translate them) -----------------------------
MSG_NPWP_FORMAT = gettext_noop("NPWP harus 15 atau 16 digit angka.")
MSG_NPWP_CHECK_DIGIT = gettext_noop("Digit pemeriksa NPWP (digit ke-9 NPWP 15 digit) tidak cocok.")
MSG_NPWP_BADAN_NOL = gettext_noop("NPWP 16 digit badan harus diawali angka 0.")
MSG_NIK_TIDAK_VALID = gettext_noop("NIK (NPWP orang pribadi) tidak valid.")
MSG_NITKU_FORMAT = gettext_noop("NITKU harus 22 digit angka: NPWP 16 digit dan 6 digit kode TKU.")
MSG_NITKU_BUKAN_MILIK = gettext_noop("NITKU ini bukan milik wajib pajak tersebut.")
MSG_NITKU_PUSAT = gettext_noop("Kode TKU 000000 adalah kantor pusat dan tidak dapat didaftarkan.")
MSG_NITKU_SUDAH_ADA = gettext_noop("NITKU ini sudah terdaftar.")
MSG_NAMA_KOSONG = gettext_noop("Nama wajib diisi.")
MSG_KODE_WILAYAH = gettext_noop("Kode wilayah harus 4 digit kode kabupaten/kota Kemendagri.")
MSG_NIK_BELUM_TERVERIFIKASI = gettext_noop(
    "NIK belum dipadankan dengan data Dukcapil: pendaftaran orang pribadi ditunda."
)
MSG_NIK_NONAKTIF = gettext_noop("NIK ini telah dinonaktifkan oleh Dukcapil.")
MSG_SUDAH_TERDAFTAR = gettext_noop("Wajib pajak ini sudah terdaftar.")
MSG_BELUM_TERDAFTAR = gettext_noop("Wajib pajak ini belum terdaftar.")
MSG_SUDAH_PKP = gettext_noop("Wajib pajak ini sudah dikukuhkan sebagai PKP.")
MSG_DALAM_PENINJAUAN = gettext_noop("Wajib pajak ini sedang dalam peninjauan.")
MSG_ALASAN_KOSONG = gettext_noop("Alasan wajib diisi.")
MSG_MASA_TIDAK_VALID = gettext_noop("Masa pajak harus berbentuk TTTT-BB (bulanan) atau TTTT.")
MSG_JENIS_PAJAK = gettext_noop("Jenis pajak tidak dikenal.")
MSG_MASA_TIDAK_SESUAI = gettext_noop("Masa pajak tidak sesuai dengan periode jenis pajak ini.")
MSG_JENIS_WP_TIDAK_SESUAI = gettext_noop(
    "Jenis pajak ini tidak berlaku bagi jenis wajib pajak ini."
)
MSG_BUKAN_PKP = gettext_noop("Hanya PKP yang mempunyai kewajiban PPN.")
MSG_KODE_BILLING_FORMAT = gettext_noop(
    "Kode billing DJP harus 15 digit angka dengan digit pertama 0 sampai 3."
)
MSG_KODE_BILLING_SUDAH_ADA = gettext_noop("Kode billing ini sudah pernah dibuat.")
MSG_KODE_BILLING_TIDAK_DIKENAL = gettext_noop("Kode billing ini tidak dikenal.")
MSG_NOMINAL = gettext_noop("Nominal harus bilangan bulat rupiah lebih dari nol.")
MSG_NTPN_FORMAT = gettext_noop("NTPN harus 16 karakter huruf atau angka.")
MSG_NTB_KOSONG = gettext_noop("NTB (nomor transaksi bank) wajib diisi.")
MSG_BILLING_KEDALUWARSA = gettext_noop("Kode billing sudah kedaluwarsa.")
MSG_BILLING_SUDAH_DIBAYAR = gettext_noop("Kode billing sudah dibayar.")
MSG_NOMINAL_TIDAK_SESUAI = gettext_noop("Jumlah pembayaran tidak sama dengan nominal kode billing.")
MSG_TANGGAL_BAYAR = gettext_noop("Tanggal bayar tidak boleh sebelum kode billing dibuat.")
MSG_BELUM_ADA_KEWAJIBAN = gettext_noop("Kewajiban pajak untuk masa ini belum timbul.")
MSG_KEWAJIBAN_SUDAH_ADA = gettext_noop("Kewajiban pajak untuk masa ini sudah ada.")
MSG_SPT_TAHAP = gettext_noop("SPT dalam status {status} tidak dapat {aksi}.")
MSG_BPE_KOSONG = gettext_noop("Nomor BPE wajib diisi.")
MSG_PERLU_KODE_BILLING = gettext_noop(
    "SPT kurang bayar: buat kode billing untuk kekurangan pembayarannya."
)
MSG_KODE_BILLING_SPT = gettext_noop("Kode billing ini bukan kode billing SPT yang menunggu.")
MSG_PAJAK_NEGATIF = gettext_noop("Pajak terutang dan kredit pajak tidak boleh negatif.")
MSG_ATURAN_TIDAK_ADA = gettext_noop("Belum ada ketentuan {aturan} yang berlaku pada {tanggal}.")
MSG_PENGHASILAN_NEGATIF = gettext_noop("Penghasilan dan pengurang tidak boleh negatif.")
MSG_STATUS_PTKP = gettext_noop("Status PTKP harus TK/0 sampai TK/3 atau K/0 sampai K/3.")

# --- time: dates are Indonesian calendar days ------------------------------------------------
WIB = ZoneInfo("Asia/Jakarta")


def tanggal_wib(saat: datetime) -> date:
    """The calendar date in Jakarta of an aware instant (deadlines and effective dates are
    days there). A naive datetime is a programming error, never guessed."""
    if saat.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return saat.astimezone(WIB).date()


# --- the tax period --------------------------------------------------------------------------
_MASA = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class Masa:
    """A tax period: one month (``2025-03``) or a tax year (``2025``, ``bulan == 0``).
    Events carry it as its string form."""

    tahun: int
    bulan: int = 0

    @classmethod
    def parse(cls, teks: str) -> Masa:
        match = _MASA.match(teks.strip())
        if not match:
            raise InvalidInput(MSG_MASA_TIDAK_VALID, code="masa_tidak_valid")
        return cls(int(match[1]), int(match[2] or 0))

    def __str__(self) -> str:
        return f"{self.tahun:04d}-{self.bulan:02d}" if self.bulan else f"{self.tahun:04d}"

    @property
    def tahunan(self) -> bool:
        return self.bulan == 0

    @property
    def awal(self) -> date:
        """The first day of the period (effective-dated rules are looked up on it)."""
        return date(self.tahun, self.bulan or 1, 1)

    @property
    def bulan_terakhir(self) -> tuple[int, int]:
        """(year, month) of the period's last month: deadlines count months from it."""
        return self.tahun, self.bulan or 12


def jenis_pajak(kode: str) -> JenisPajak:
    try:
        return JENIS_PAJAK[kode]
    except KeyError:
        raise InvalidInput(MSG_JENIS_PAJAK, code="jenis_pajak_tidak_valid") from None


def periksa_masa(jenis: JenisPajak, masa: Masa) -> None:
    """A monthly tax needs a month, an annual tax a year."""
    if masa.tahunan != (jenis.periode == TAHUNAN):
        raise InvalidInput(MSG_MASA_TIDAK_SESUAI, code="masa_tidak_sesuai")
