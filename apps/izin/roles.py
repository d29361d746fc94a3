"""Who may do what in the izin context, decided for the principal (never for a typed name).

- A citizen applies and reads only for their own verified NIK.
- OSS officers (groups ``verifikator_oss``, ``approver_oss``) decide and read the applications
  of the region their office covers (``OfficerProfile.kantor``; empty = national).
- An integrator applies with scope ``izin:ajukan`` and reads, with ``izin:baca``, only the
  applications it submitted itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from apps.izin.domain.rules import PERSETUJUAN, VERIFIKASI
from egov.principals import CITIZEN, SYSTEM, Principal, require, require_verified_citizen

GRUP_VERIFIKATOR = "verifikator_oss"
GRUP_APPROVER = "approver_oss"
PERAN_VERIFIKATOR, PERAN_APPROVER = VERIFIKASI, PERSETUJUAN
SCOPE_AJUKAN = "izin:ajukan"
SCOPE_BACA = "izin:baca"

MSG_BUKAN_PETUGAS = gettext_noop(
    "Hanya verifikator atau approver OSS yang dapat mengambil keputusan ini."
)
MSG_BUKAN_APPROVER = gettext_noop("Hanya approver OSS yang dapat mencabut izin.")
MSG_BUKAN_PEMOHON = gettext_noop("Hanya pemohon yang dapat menanggapi permintaan perbaikan.")
MSG_BUKAN_NIK_ANDA = gettext_noop("NIK ini bukan NIK yang terverifikasi pada akun Anda.")
MSG_LUAR_WILAYAH = gettext_noop("Permohonan ini di luar wilayah kantor Anda.")
MSG_BUKAN_PENGELOLA = gettext_noop(
    "Hanya petugas atau sistem yang dapat menerbitkan tabel risiko KBLI."
)


def peran_petugas(principal: Principal) -> set[str]:
    """The officer stages this principal may decide (VERIFIKASI for MT, PERSETUJUAN for T)."""
    roles = set()
    if principal.has_role(GRUP_VERIFIKATOR):
        roles.add(PERAN_VERIFIKATOR)
    if principal.has_role(GRUP_APPROVER):
        roles.add(PERAN_APPROVER)
    return roles


def require_petugas(principal: Principal) -> None:
    require(bool(peran_petugas(principal)), MSG_BUKAN_PETUGAS, code="bukan_petugas")


def peran_untuk(principal: Principal, *, tahap: str, kode_wilayah: str) -> str:
    """The role an officer decides in: the stage's own if they hold it (otherwise the domain
    refuses with "needs the other role", 409), within their office's region."""
    roles = peran_petugas(principal)
    require(bool(roles), MSG_BUKAN_PETUGAS, code="bukan_petugas")
    require(principal.covers_region(kode_wilayah), MSG_LUAR_WILAYAH, code="luar_wilayah")
    return tahap if tahap in roles else sorted(roles)[0]


def require_may_publish_reference(principal: Principal) -> None:
    """Publishing the KBLI table only repeats what the table says (editing it is the admin's
    model permission): any officer, or the platform after a migration or a reseed."""
    allowed = principal.is_officer or principal.kind == SYSTEM
    require(allowed, MSG_BUKAN_PENGELOLA, code="bukan_petugas")


def require_approver(principal: Principal, *, kode_wilayah: str) -> None:
    require(PERAN_APPROVER in peran_petugas(principal), MSG_BUKAN_APPROVER, code="bukan_approver")
    require(principal.covers_region(kode_wilayah), MSG_LUAR_WILAYAH, code="luar_wilayah")


def require_may_apply_for(principal: Principal, *, nik_hash: str) -> None:
    if principal.kind == CITIZEN:
        require_verified_citizen(principal)
        require(principal.owns(nik_hash), MSG_BUKAN_NIK_ANDA, code="bukan_nik_anda")
        return
    require(principal.has_scope(SCOPE_AJUKAN))


def is_applicant(principal: Principal, *, nik_hash: str, submitted_by: str) -> bool:
    """The citizen the application is for, or the integrator that submitted it."""
    if principal.owns(nik_hash):
        return True
    return principal.has_scope(SCOPE_AJUKAN) and submitted_by == principal.id


def may_read(principal: Principal, *, subject_id: str, submitted_by: str, kode_wilayah: str):
    if principal.owns(subject_id):
        return True
    if peran_petugas(principal):
        return principal.covers_region(kode_wilayah)
    return principal.has_scope(SCOPE_BACA) and submitted_by == principal.id
