"""How API callers authenticate: integrators by OAuth2 client credentials (expiring tokens
from /o/token/), citizens by their portal session or a personal token made on the portal
("Akses API"). Kept apart from ``egov.api`` because DRF imports authentication classes while
its own views module is still loading."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from egov import clock
from egov.portal import personal_tokens
from egov.portal.accounts import principal_for_user, principal_of
from egov.portal.scopes import all_scopes
from egov.principals import CITIZEN, CLIENT_PREFIX

API_PREFIX = "/api/"  # as egov.middleware has it (not imported: it loads DRF's views)
MSG_TOKEN_TIDAK_SAH = gettext_noop("Token tidak dikenal.")
MSG_TOKEN_DICABUT = gettext_noop("Token ini sudah dicabut.")
MSG_TOKEN_KEDALUWARSA = gettext_noop(
    "Token ini sudah kedaluwarsa. Buat token baru di halaman Akses API."
)
MSG_TOKEN_TIDAK_BERLAKU = gettext_noop("Token ini tidak berlaku untuk akun ini.")


def presented_bearer(request) -> str | None:
    """The bearer token of the Authorization header, if it is one."""
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        return None


class IntegratorUser:
    """``request.user`` for an OAuth2 client-credentials token: no Django account, just the
    client (the principal is resolved from it; see ``principal_of``)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, application):
        self.oauth_application = application
        self.pk = self.id = f"{CLIENT_PREFIX}{application.client_id}"

    def get_username(self) -> str:
        return self.pk

    def __str__(self) -> str:
        return self.pk


class IntegratorAuthentication(OAuth2Authentication):
    """Bearer tokens from /o/token/ (client credentials, expiring). A token issued to a
    person (other grants) is refused here: people use their portal session or a personal
    token (``egp_...``, left to ``PersonalTokenAuthentication`` without an OAuth2 look-up)."""

    def authenticate(self, request):
        token = presented_bearer(request)
        if token is not None and personal_tokens.looks_like_personal_token(token):
            return None  # a citizen's personal token: PersonalTokenAuthentication decides
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is not None or token.application is None:
            return None
        return IntegratorUser(token.application), token


class PersonalTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer egp_...``: a citizen's personal token. The request runs as the
    token's owner, resolved exactly as their session would be (``principal_of``), so an
    unverified NIK claim can do nothing more than its session. Only under /api/: the portal
    and the admin know sessions alone. A revoked, expired or unknown token, or one whose
    account is no longer a citizen's, is a 401 (never a fall-back to the session)."""

    def authenticate(self, request):
        token = presented_bearer(request)
        if token is None or not personal_tokens.looks_like_personal_token(token):
            return None
        if not request.path_info.startswith(API_PREFIX):
            return None
        now = clock.now()
        row = personal_tokens.find_presented(token)
        if row is None:
            self._refuse(request, MSG_TOKEN_TIDAK_SAH, "token_tidak_sah")
        if row.revoked_at is not None:
            self._refuse(request, MSG_TOKEN_DICABUT, "token_dicabut")
        if now >= row.expires_at:
            self._refuse(request, MSG_TOKEN_KEDALUWARSA, "token_kedaluwarsa")
        # An account made staff (or deactivated) after the token was made: an officer's
        # access must not outlive their 8-hour session through a 90-day token.
        if not row.user.is_active or principal_for_user(row.user).kind != CITIZEN:
            self._refuse(request, MSG_TOKEN_TIDAK_BERLAKU, "token_tidak_berlaku")
        personal_tokens.record_use(row, now)
        return row.user, row

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'

    @staticmethod
    def _refuse(request, message: str, code: str):
        # DRF writes the 401 challenge of the first authenticator (OAuth2's), which adds the
        # request's ``oauth2_error``: the client reads RFC 6750's invalid_token there.
        request.oauth2_error = {"error": "invalid_token"}
        raise AuthenticationFailed(_(message), code=code)


class IsAuthenticatedPrincipal(BasePermission):
    """Someone is calling (a person's session or an integrator's token); what they may do is
    decided by the command layer for that principal."""

    def has_permission(self, request, view) -> bool:
        return principal_of(request).is_authenticated


class IntegratorAuthenticationScheme(OpenApiAuthenticationExtension):
    """OpenAPI: the OAuth2 client-credentials flow, with every scope an agency may be given."""

    target_class = "egov.apiauth.IntegratorAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/o/token/",
                    "scopes": all_scopes(),
                }
            },
        }


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI: a citizen's personal token from the portal page "Akses API"."""

    target_class = "egov.apiauth.PersonalTokenAuthentication"
    name = "tokenPribadi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "egp_...",
            "description": (
                "A citizen's personal token, made and revoked on the portal page Akses API "
                f"(shown once; expires after {settings.PERSONAL_TOKEN_DAYS} days). It acts "
                "exactly as the citizen's session: their own verified NIK's records only."
            ),
        }
