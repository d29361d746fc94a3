"""How API callers authenticate: integrators by OAuth2 client credentials (expiring tokens
from /o/token/), people by their portal session. Kept apart from ``egov.api`` because DRF
imports authentication classes while its own views module is still loading."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.permissions import BasePermission

from egov.portal.accounts import principal_of
from egov.principals import CLIENT_PREFIX


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
    person (other grants) is refused here: people use the portal session."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is not None or token.application is None:
            return None
        return IntegratorUser(token.application), token


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
                    "scopes": dict(settings.API_SCOPES),
                }
            },
        }
