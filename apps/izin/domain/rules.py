"""Vocabulary, messages and working-day arithmetic of business permits (plain Python)."""

from __future__ import annotations

import re
import unicodedata

from egov.principals import gettext_noop

# --- vocabulary ---------------------------------------------------------------------------
RENDAH, MENENGAH_RENDAH, MENENGAH_TINGGI, TINGGI = "R", "MR", "MT", "T"
TINGKAT_RISIKO = (RENDAH, MENENGAH_RENDAH, MENENGAH_TINGGI, TINGGI)
SKALA = ("MIKRO", "KECIL", "MENENGAH", "BESAR")
PERORANGAN, BADAN_USAHA = "PERORANGAN", "BADAN_USAHA"

# Stages (``tahap``) of an application.
MENUNGGU_IDENTITAS = "MENUNGGU_VERIFIKASI_IDENTITAS"
VERIFIKASI = "VERIFIKASI"  # MT: the authority verifies the standard certificate
PERSETUJUAN = "PERSETUJUAN"  # T: the authority approves the permit
PERBAIKAN = "PERBAIKAN"  # the applicant must correct something
DISETUJUI, DITOLAK, DICABUT = "DISETUJUI", "DITOLAK", "DICABUT"
TAHAP_PETUGAS = (VERIFIKASI, PERSETUJUAN)
TAHAP_SELESAI = (DITOLAK, DICABUT)  # no longer blocks a new application for the same business
TUJUAN_KUNCI_GANDA = "izin-ganda"  # keyed-hash purpose of the duplicate key

DASAR_HUKUM_RBA = "PP 28/2025 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko"
DASAR_HUKUM_FIKTIF_POSITIF = "PP 28/2025 (fiktif positif: tenggat layanan terlampaui)"
SISTEM = "sistem-oss"

# --- messages (Bahasa Indonesia; the front doors translate them) -----------------------------
MSG_NIK_TIDAK_VALID = gettext_noop("NIK harus 16 digit angka.")
MSG_NIK_WAJIB = gettext_noop("NIK pemohon wajib diisi.")
MSG_PERMOHONAN_GANDA = gettext_noop(
    "Permohonan untuk usaha yang sama (KBLI, lokasi dan nama usaha yang sama) dari pemohon ini "
    "masih diproses atau sudah disetujui. Periksa permohonan itu, atau konfirmasi bahwa Anda "
    "memang ingin mengajukan lagi."
)
MSG_KBLI_TIDAK_VALID = gettext_noop("Kode KBLI harus 5 digit angka.")
MSG_KBLI_TIDAK_DIKENAL = gettext_noop(
    "Kode KBLI ini tidak terdaftar dalam tabel risiko yang berlaku."
)
MSG_WILAYAH_TIDAK_VALID = gettext_noop(
    "Kode wilayah harus 2 sampai 10 digit angka (kode Kemendagri)."
)
MSG_SKALA_TIDAK_VALID = gettext_noop(
    "Skala usaha harus salah satu dari: MIKRO, KECIL, MENENGAH, BESAR."
)
MSG_INVESTASI_TIDAK_VALID = gettext_noop("Nilai investasi harus lebih dari nol.")
MSG_JENIS_TIDAK_VALID = gettext_noop("Jenis pelaku usaha harus PERORANGAN atau BADAN_USAHA.")
MSG_BADAN_TANPA_NOMOR = gettext_noop("Badan usaha wajib mengisi nomor pengesahan badan hukum.")
MSG_NAMA_USAHA_KOSONG = gettext_noop("Nama usaha wajib diisi.")
MSG_ALASAN_KOSONG = gettext_noop("Alasan dan dasar hukum wajib diisi.")
MSG_CATATAN_KOSONG = gettext_noop("Hal yang harus diperbaiki wajib diisi.")
MSG_BUKAN_TAHAP = gettext_noop("Permohonan tidak sedang menunggu tindakan ini.")
MSG_PERLU_APPROVER = gettext_noop(
    "Permohonan risiko tinggi (T) ini menunggu persetujuan approver OSS, bukan verifikator."
)
MSG_PERLU_VERIFIKATOR = gettext_noop(
    "Permohonan risiko menengah tinggi (MT) ini menunggu verifikator OSS, bukan approver."
)
MSG_BUKAN_PERBAIKAN = gettext_noop("Permohonan tidak sedang menunggu perbaikan.")
MSG_TENGGAT_PERBAIKAN_LEWAT = gettext_noop("Tenggat perbaikan sudah lewat.")
MSG_BELUM_DISETUJUI = gettext_noop(
    "Hanya izin yang sudah disetujui yang dapat dikirim atau dicabut."
)
MSG_SUDAH_DIKIRIM = gettext_noop("Dokumen izin sudah dikirim.")
MSG_IDENTITAS_TIDAK_DITAHAN = gettext_noop("Permohonan tidak sedang menunggu verifikasi identitas.")
MSG_NIB_SUDAH_ADA = gettext_noop("Pelaku usaha ini sudah memiliki NIB.")
MSG_NIB_TIDAK_VALID = gettext_noop("NIB harus 13 digit angka.")


def nama_usaha_baku(nama: str) -> str:
    """A business name as compared for duplicates: Unicode-normalised (NFKC), case-folded,
    punctuation dropped, spaces collapsed ("Warung  Bu-Sri." == "warung bu sri")."""
    teks = unicodedata.normalize("NFKC", nama).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", teks).split())


def usaha_yang_sama(nik_hash: str, kbli_kode: str, kode_wilayah: str, nama_usaha: str) -> str:
    """What makes two applications the same business of the same applicant (the command
    keys it with a keyed hash before it is stored)."""
    return "|".join(
        (nik_hash, kbli_kode.strip(), kode_wilayah.strip(), nama_usaha_baku(nama_usaha))
    )
