"""Who may do what in the ktp context, decided for the principal (never for a typed name).

- A citizen acts and reads only for their own verified NIK (new cards are requested at the
  Dukcapil counter, where the officer also verifies the account's NIK claim).
- A Dukcapil officer (group ``petugas_dukcapil``) acts on any request: e-KTP services are
  national since 2019 (record anywhere), so offices do not limit them.
- An integrator (e.g. a village service system) submits requests with scope ``ktp:ajukan``
  and reads, with ``ktp:baca``, only the requests it submitted itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from egov.principals import CITIZEN, SYSTEM, Principal, require, require_verified_citizen

GRUP_PETUGAS = "petugas_dukcapil"
SCOPE_AJUKAN = "ktp:ajukan"
SCOPE_BACA = "ktp:baca"

MSG_BUKAN_PETUGAS = gettext_noop("Hanya petugas Dukcapil yang dapat melakukan tindakan ini.")
MSG_BUKAN_NIK_ANDA = gettext_noop("NIK ini bukan NIK yang terverifikasi pada akun Anda.")
MSG_PERUBAHAN_DATA = gettext_noop("Penggantian karena perubahan data diajukan di loket Dukcapil.")


def is_petugas(principal: Principal) -> bool:
    return principal.has_role(GRUP_PETUGAS)


def require_petugas(principal: Principal) -> None:
    require(is_petugas(principal), MSG_BUKAN_PETUGAS, code="bukan_petugas")


def require_may_deactivate(principal: Principal) -> None:
    """A Dukcapil officer, or the platform reacting to a civil-registry fact it verified
    (a death certificate signed by the reporting agency, delivered by the bus)."""
    allowed = is_petugas(principal) or principal.kind == SYSTEM
    require(allowed, MSG_BUKAN_PETUGAS, code="bukan_petugas")


def require_may_apply_for(principal: Principal, *, nik_hash: str) -> None:
    """Who may ask for a card for this NIK."""
    if principal.kind == CITIZEN:
        require_verified_citizen(principal)
        require(principal.owns(nik_hash), MSG_BUKAN_NIK_ANDA, code="bukan_nik_anda")
        return
    require(is_petugas(principal) or principal.has_scope(SCOPE_AJUKAN))


def may_read(principal: Principal, *, subject_id: str, submitted_by: str) -> bool:
    if is_petugas(principal) or principal.owns(subject_id):
        return True
    return principal.has_scope(SCOPE_BACA) and submitted_by == principal.id
