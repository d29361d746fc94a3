"""The applicant as the front doors know them. A citizen's account keeps only their NIK's
keyed hash (the principal's ``subject_id``) and a masked form: a citizen applying for
themselves types no NIK, and the masked one is what the form shows and the application
records for display (``PermohonanIzinDibuat.nik_masked``, a personal field)."""

from __future__ import annotations

from egov.portal.accounts import principal_of


def nik_tersamar(request) -> str:
    """The signed-in citizen's masked NIK once their claim is verified; "" otherwise."""
    if not principal_of(request).subject_id:
        return ""
    profile = getattr(request.user, "citizen", None)
    return profile.nik_masked if profile is not None else ""
