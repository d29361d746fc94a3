"""Who is calling: resolve the principal of a request (kernel; contexts import this, never
each other), and look-ups on citizen accounts."""

from egov.portal.models import TERVERIFIKASI, CitizenProfile
from egov.principals import (
    ANONYMOUS_PRINCIPAL,
    CITIZEN,
    CLIENT_PREFIX,
    INTEGRATOR,
    OFFICER,
    USER_PREFIX,
    Principal,
)

_CACHE_ATTR = "_egov_principal"


def principal_of(request) -> Principal:
    """The request's principal, resolved once per request (DRF or plain Django request)."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = _resolve(getattr(request, "user", None), getattr(request, "auth", None))
        setattr(request, _CACHE_ATTR, cached)
    return cached


def _resolve(user, auth) -> Principal:
    client = getattr(user, "oauth_application", None)
    if client is not None:
        return integrator_principal(client, token_scopes=getattr(auth, "scope", ""))
    if user is None or not user.is_authenticated:
        return ANONYMOUS_PRINCIPAL
    return principal_for_user(user)


def principal_for_user(user) -> Principal:
    """A person signed in with a Django account: an officer (staff or member of a role group,
    the superuser holding every role) or a citizen (with their NIK only once it is verified)."""
    uid, name = f"{USER_PREFIX}{user.pk}", user.get_username()
    roles = frozenset(user.groups.values_list("name", flat=True))
    if user.is_superuser or user.is_staff or roles:
        office = getattr(getattr(user, "officer", None), "kantor", "")
        return Principal(
            kind=OFFICER,
            id=uid,
            name=name,
            roles=roles,
            office=office,
            is_admin=user.is_superuser,
        )
    profile = getattr(user, "citizen", None)
    verified = profile is not None and profile.status == TERVERIFIKASI
    return Principal(
        kind=CITIZEN, id=uid, name=name, subject_id=profile.subject_id if verified else ""
    )


def integrator_principal(application, *, token_scopes: str) -> Principal:
    """An OAuth2 client: the token's scopes, cut to what its agency is granted *now* (a
    revoked grant takes effect on the next call, not when the token expires)."""
    grant = getattr(application, "integrator_grant", None)
    granted = grant.scope_set() if grant else frozenset()
    return Principal(
        kind=INTEGRATOR,
        id=f"{CLIENT_PREFIX}{application.client_id}",
        name=grant.instansi if grant else application.name,
        scopes=frozenset(token_scopes.split()) & granted,
    )


def contact_email_for(subject_id: str) -> str | None:
    """The e-mail of the *verified* account of this citizen: an unverified claimant of a NIK
    never receives that NIK's notifications."""
    profile = (
        CitizenProfile.objects.select_related("user")
        .filter(subject_id=subject_id, status=TERVERIFIKASI)
        .first()
    )
    return profile.user.email or None if profile else None


def subject_id_of(user) -> str | None:
    """The signed-in citizen's verified subject id, or None (officers, visitors, unverified)."""
    if user is None or not user.is_authenticated:
        return None
    principal = principal_for_user(user)
    return principal.subject_id if principal.kind == CITIZEN and principal.subject_id else None
