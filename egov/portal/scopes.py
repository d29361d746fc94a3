"""Which OAuth2 scopes an integrator client may be given: those its agency was granted."""

from django.conf import settings
from oauth2_provider.scopes import BaseScopes


class GrantedScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return dict(settings.API_SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        grant = getattr(application, "integrator_grant", None) if application else None
        granted = grant.scope_set() if grant else frozenset()
        return [scope for scope in settings.API_SCOPES if scope in granted]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self.get_available_scopes(application, request)
