"""Officer roles of the izin context, as Django groups (on ``default`` with auth)."""

from apps.izin.domain import PERSETUJUAN, VERIFIKASI

GRUP_VERIFIKATOR = "verifikator_oss"
GRUP_APPROVER = "approver_oss"
PERAN_VERIFIKATOR, PERAN_APPROVER = VERIFIKASI, PERSETUJUAN


def peran_petugas(user) -> set[str]:
    """The officer stages this user may decide (VERIFIKASI for MT, PERSETUJUAN for T)."""
    if not (user and user.is_authenticated):
        return set()
    groups = set(user.groups.values_list("name", flat=True))
    roles = set()
    if GRUP_VERIFIKATOR in groups:
        roles.add(PERAN_VERIFIKATOR)
    if GRUP_APPROVER in groups:
        roles.add(PERAN_APPROVER)
    return roles
