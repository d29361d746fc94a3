"""Who may do what in the notifikasi context, decided for the principal.

- Officers (any back-office role) resend a failed notification.
- Creating and sending are the system's reactions to other contexts' events.
"""

from __future__ import annotations

from egov.principals import Principal, gettext_noop, require

MSG_BUKAN_PETUGAS = gettext_noop("Hanya petugas yang dapat mengirim ulang notifikasi.")


def require_petugas(principal: Principal) -> None:
    require(principal.is_officer, MSG_BUKAN_PETUGAS, code="bukan_petugas")
