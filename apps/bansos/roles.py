"""Who may do what in the bansos context, decided for the principal (never for a typed name).

- A Kemensos / social-affairs officer (group ``petugas_kemensos``) proposes, verifies, decides,
  rejects and suspends households of the regions their office covers
  (``OfficerProfile.kantor``, a region-code prefix; empty = national), and builds, submits,
  approves, instructs and closes disbursement cycles. Four eyes (proposer != decider, creator
  != approver) is the domain's rule (``empat_mata``).
  The same officers reactivate, graduate and exit recipients and answer appeals.
- A channel (a Himbara bank or PT Pos) reports the outcome of payment instructions with
  scope ``bansos:penyaluran``, and only of the instructions sent to it: its client is granted
  the scope naming its channel (``bansos:kanal:BRI`` ... ``bansos:kanal:POS``); PT Pos also
  reports on an instruction the bank reported not collected. For any other channel an
  instruction does not exist. ``bansos:baca`` reads aggregate figures only.
- PKH conditionality (``KepatuhanDicatat``) is fed by an officer of the region, by an
  integrator with scope ``bansos:kepatuhan`` (a school or health-facility system) or by the
  platform itself (a policy on another context's events, e.g. ``NISNDiverifikasi``).
- A citizen appeals (``KeberatanDiajukan``) for a household they are a member of: their
  verified NIK's subject id is among its members' NIK hashes. For anyone else a household's
  records are not even acknowledged to exist (``NotVisible``).
"""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_noop

from apps.bansos.domain.rules import MSG_INSTRUKSI_TIDAK_DIKENAL, POS
from egov.principals import SYSTEM, NotVisible, Principal, require, require_verified_citizen

GRUP_PETUGAS = "petugas_kemensos"
SCOPE_BACA = "bansos:baca"
SCOPE_PENYALURAN = "bansos:penyaluran"
SCOPE_KEPATUHAN = "bansos:kepatuhan"
SCOPE_KANAL = "bansos:kanal:"  # + a channel's code (apps.bansos.domain.rules.KANAL)

MSG_BUKAN_PETUGAS = gettext_noop("Hanya petugas Kemensos yang dapat melakukan tindakan ini.")
MSG_LUAR_WILAYAH = gettext_noop("Keluarga ini di luar wilayah kantor Anda.")
MSG_BUKAN_PENYALUR = gettext_noop(
    "Hanya bank Himbara atau PT Pos dengan cakupan bansos:penyaluran yang dapat melaporkan "
    "penyaluran."
)
MSG_BUKAN_SISTEM = gettext_noop(
    "Fakta dari konteks lain hanya dicatat oleh kebijakan bansos sendiri."
)
MSG_BUKAN_PENCATAT_KEPATUHAN = gettext_noop(
    "Hanya petugas Kemensos atau sistem dengan cakupan bansos:kepatuhan yang dapat mencatat "
    "kepatuhan."
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


def kanal_penyalur(principal: Principal) -> frozenset[str]:
    """The channels this client reports for (its ``bansos:kanal:<code>`` scopes)."""
    return frozenset(
        scope.removeprefix(SCOPE_KANAL)
        for scope in principal.scopes
        if scope.startswith(SCOPE_KANAL) and principal.has_scope(scope)
    )


def require_penyalur_instruksi(principal: Principal, *, kanal: str, di_pos: bool) -> None:
    """A channel reports only on its own instructions (PT Pos also on one handed to it:
    ``di_pos``); another channel's instruction is not acknowledged to exist."""
    require_penyalur(principal)
    milik = {kanal, POS} if di_pos else {kanal}
    if not kanal_penyalur(principal) & milik:
        raise NotVisible(MSG_INSTRUKSI_TIDAK_DIKENAL)


def require_sistem(principal: Principal) -> None:
    """Facts other contexts published (identities, family cards, business owners, school
    enrolments) are recorded only by bansos's own policies, running as the platform."""
    require(principal.kind == SYSTEM, MSG_BUKAN_SISTEM, code="bukan_sistem")


def is_pencatat_kepatuhan(principal: Principal) -> bool:
    """An integrator or the platform feeding PKH conditionality (officers: ``is_petugas``)."""
    return principal.kind == SYSTEM or principal.has_scope(SCOPE_KEPATUHAN)


def require_pencatat_kepatuhan(principal: Principal) -> None:
    require(
        is_petugas(principal) or is_pencatat_kepatuhan(principal),
        MSG_BUKAN_PENCATAT_KEPATUHAN,
        code="bukan_pencatat_kepatuhan",
    )


def require_warga(principal: Principal) -> str:
    """A citizen with a verified NIK (before any household is looked up): their subject id."""
    return require_verified_citizen(principal)


def require_anggota(principal: Principal, anggota: Collection[str], *, not_found: str) -> None:
    """A citizen member of the household (``anggota``: its members' NIK hashes). For anyone
    else it does not exist (``not_found``), so a guessed id tells nothing."""
    if require_warga(principal) not in anggota:
        raise NotVisible(not_found)
