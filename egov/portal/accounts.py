"""Look-ups on citizen accounts that contexts may use (they import the kernel, never each other)."""

from egov.portal.models import CitizenProfile


def contact_email_for(subject_id: str) -> str | None:
    """The e-mail of the account linked to this citizen, if they have one."""
    profile = CitizenProfile.objects.select_related("user").filter(subject_id=subject_id).first()
    return profile.user.email or None if profile else None


def subject_id_of(user) -> str | None:
    """The signed-in citizen's pseudonymous subject id, or None for officers and visitors."""
    profile = getattr(user, "citizen", None) if user.is_authenticated else None
    return profile.subject_id if profile else None
