"""Who may do what in the bansos context, decided for the principal (never for a typed name).

- A Kemensos / social-affairs officer (group ``petugas_kemensos``) proposes, verifies, decides,
  rejects and suspends households of the regions their office covers
  (``OfficerProfile.kantor``, a region-code prefix; empty = national), and builds, submits,
  approves, instructs and closes disbursement cycles. Four eyes (proposer != decider, creator
  != approver) is the domain's rule (``empat_mata``).
- A channel (a Himbara bank or PT Pos) reports the outcome of payment instructions with
  scope ``bansos:penyaluran``; ``bansos:baca`` reads aggregate figures only.
- Citizens act on nothing here; a household's records are not even acknowledged to exist for
  anyone else (``NotVisible``).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from egov.principals import Principal, require

GRUP_PETUGAS = "petugas_kemensos"
SCOPE_BACA = "bansos:baca"
SCOPE_PENYALURAN = "bansos:penyaluran"

MSG_BUKAN_PETUGAS = gettext_noop("Hanya petugas Kemensos yang dapat melakukan tindakan ini.")
MSG_LUAR_WILAYAH = gettext_noop("Keluarga ini di luar wilayah kantor Anda.")
MSG_BUKAN_PENYALUR = gettext_noop(
    "Hanya bank Himbara atau PT Pos dengan cakupan bansos:penyaluran yang dapat melaporkan "
    "penyaluran."
)


def is_petugas(principal: Principal) -> bool:
    return principal.has_role(GRUP_PETUGAS)


def require_petugas(principal: Principal, *, kode_wilayah: str | None = None) -> None:
    """A Kemensos officer (whose office covers ``kode_wilayah``, once it is known)."""
    require(is_petugas(principal), MSG_BUKAN_PETUGAS, code="bukan_petugas")
    if kode_wilayah is not None:
        require(principal.covers_region(kode_wilayah), MSG_LUAR_WILAYAH, code="luar_wilayah")


def require_penyalur(principal: Principal) -> None:
    require(principal.has_scope(SCOPE_PENYALURAN), MSG_BUKAN_PENYALUR, code="bukan_penyalur")
