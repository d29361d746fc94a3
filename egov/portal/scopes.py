"""Which OAuth2 scopes exist, and which an integrator client may be given: those its agency
was granted.

Most scopes are described in ``settings.API_SCOPES``; a context may declare more at start-up
(the bus: one per published contract, so a new published event type gets its scope without a
settings change). Declared scopes are kept here, never written into the settings."""

from django.conf import settings
from oauth2_provider.scopes import BaseScopes

_declared: dict[str, str] = {}


def declare(scopes: dict[str, str]) -> None:
    """Offer ``scopes`` (name -> description) beside the settings' ones."""
    _declared.update(scopes)


def all_scopes() -> dict[str, str]:
    """Every scope on offer, in order: the settings' (whose description wins), then the
    declared ones."""
    described = settings.API_SCOPES
    return described | {name: text for name, text in _declared.items() if name not in described}


class GrantedScopes(BaseScopes):
    def get_all_scopes(self) -> dict[str, str]:
        return all_scopes()

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        grant = getattr(application, "integrator_grant", None) if application else None
        granted = grant.scope_set() if grant else frozenset()
        return [scope for scope in all_scopes() if scope in granted]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self.get_available_scopes(application, request)
