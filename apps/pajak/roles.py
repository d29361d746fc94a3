"""Who may do what in the pajak context, decided for the principal (never for a typed name).

Tax secrecy (UU 28/2007 KUP Pasal 34): a taxpayer's records are seen and acted on only by
- the taxpayer: a citizen whose verified NIK is the taxpayer's subject (individuals);
- a DJP officer (group ``petugas_djp``) whose office covers the taxpayer's region
  (``OfficerProfile.kantor``, a region-code prefix; empty = national);
- an integrator for its one purpose: a perception bank reports payments with scope
  ``pajak:pembayaran``; a registration system (OSS at incorporation) registers companies and
  their branches with scope ``pajak:daftar``; ``pajak:baca`` reads aggregate figures only.
Another citizen's records are not even acknowledged to exist (``NotVisible``).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from egov.principals import NotVisible, Principal, require, require_verified_citizen

GRUP_PETUGAS = "petugas_djp"
SCOPE_BACA = "pajak:baca"
SCOPE_PEMBAYARAN = "pajak:pembayaran"
SCOPE_DAFTAR = "pajak:daftar"

MSG_BUKAN_PETUGAS = gettext_noop("Hanya petugas DJP yang dapat melakukan tindakan ini.")
MSG_LUAR_WILAYAH = gettext_noop("Wajib pajak ini di luar wilayah kantor Anda.")
MSG_BUKAN_NIK_ANDA = gettext_noop("NIK ini bukan NIK yang terverifikasi pada akun Anda.")
MSG_BUKAN_BANK = gettext_noop(
    "Hanya bank atau pos persepsi dengan cakupan pajak:pembayaran yang dapat melaporkan pembayaran."
)
MSG_TIDAK_BOLEH_MENDAFTARKAN = gettext_noop(
    "Hanya petugas DJP atau sistem dengan cakupan pajak:daftar yang dapat mendaftarkan badan."
)
MSG_WP_TIDAK_DITEMUKAN = gettext_noop("Wajib pajak tidak ditemukan.")


def is_petugas(principal: Principal) -> bool:
    return principal.has_role(GRUP_PETUGAS)


def require_petugas(principal: Principal, *, kode_wilayah: str | None = None) -> None:
    """A DJP officer (whose office covers ``kode_wilayah``, once it is known)."""
    require(is_petugas(principal), MSG_BUKAN_PETUGAS, code="bukan_petugas")
    if kode_wilayah is not None:
        require(principal.covers_region(kode_wilayah), MSG_LUAR_WILAYAH, code="luar_wilayah")


def require_wajib_pajak_sendiri(principal: Principal, *, nik_hash: str) -> str:
    """The signed-in citizen registering their own NIK: the NIK typed must be the one their
    account was verified for. Returns the subject id (the principal's, never the typed one's)."""
    subjek_id = require_verified_citizen(principal)
    require(subjek_id == nik_hash, MSG_BUKAN_NIK_ANDA, code="bukan_nik_anda")
    return subjek_id


def require_may_act_for(principal: Principal, *, subjek_id: str, kode_wilayah: str) -> None:
    """The taxpayer themselves, or an officer of the office covering them. Anyone else learns
    nothing, not even that the taxpayer exists."""
    if principal.owns(subjek_id):
        return
    if is_petugas(principal):
        require(principal.covers_region(kode_wilayah), MSG_LUAR_WILAYAH, code="luar_wilayah")
        return
    raise NotVisible(MSG_WP_TIDAK_DITEMUKAN)


def require_may_register(principal: Principal, *, kode_wilayah: str | None = None) -> None:
    """A company or branch is registered by an officer of its office (checked once
    ``kode_wilayah`` is known), or by a registration system with scope ``pajak:daftar``."""
    if principal.has_scope(SCOPE_DAFTAR):
        return
    require(is_petugas(principal), MSG_TIDAK_BOLEH_MENDAFTARKAN, code="bukan_petugas")
    if kode_wilayah is not None:
        require(principal.covers_region(kode_wilayah), MSG_LUAR_WILAYAH, code="luar_wilayah")


def require_bank(principal: Principal) -> None:
    require(principal.has_scope(SCOPE_PEMBAYARAN), MSG_BUKAN_BANK, code="bukan_bank_persepsi")


def may_read(principal: Principal, *, subjek_id: str, kode_wilayah: str) -> bool:
    """One taxpayer's records: the taxpayer, or an officer of the covering office."""
    if principal.owns(subjek_id):
        return True
    return is_petugas(principal) and principal.covers_region(kode_wilayah)
