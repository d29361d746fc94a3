"""A short cache of integrators' OAuth2 access-token look-ups.

Every API call of an integrator looks its bearer token up (``AccessToken`` joined to its
application and user): a fifth of a command's CPU and a third of a plain read's
(bench/api_throughput.py ``--profile``). With a cache that every web process shares
(``CACHE_URL`` not process memory), the token found is kept for
``OAUTH2_TOKEN_CACHE_SECONDS`` at most, and never past its own expiry.

What changes a token through Django takes effect on the next call in every process: saving
or deleting a token (DOT's revocation, /o/revoke_token/, the admin; deleting its application
deletes it) evicts its entry, at once and again when the change commits. What changes a row
without Django's signals (``QuerySet.update``, SQL by hand) takes effect within
``OAUTH2_TOKEN_CACHE_SECONDS``. The integrator's grant is not
cached: ``integrator_principal`` reads it on every call, so a revoked grant refuses at once.
Off (0) with a cache in process memory, where an eviction would reach one process only.
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from egov.db import on_commit

logger = logging.getLogger(__name__)


def _key(checksum: str) -> str:
    return f"oauth-token:{checksum}"


class CachingOAuth2Validator(OAuth2Validator):
    """DOT's validator, its bearer-token look-up served from the shared cache when it can."""

    def _load_access_token(self, token):
        seconds = settings.OAUTH2_TOKEN_CACHE_SECONDS
        if not seconds:
            return super()._load_access_token(token)
        key = _key(hashlib.sha256(token.encode("utf-8")).hexdigest())
        try:
            cached = cache.get(key)
        except Exception:  # the cache is an optimisation: look the token up as without it
            logger.warning("token cache unavailable: looking the token up in the database")
            return super()._load_access_token(token)
        if cached is not None:
            return cached
        access_token = super()._load_access_token(token)
        if access_token is not None:
            left = (access_token.expires - timezone.now()).total_seconds()
            if left > 1:
                _quietly(cache.set, key, access_token, timeout=min(seconds, left))
        return access_token


def _quietly(operation, *args, **kwargs) -> None:
    try:
        operation(*args, **kwargs)
    except Exception:
        logger.warning("token cache unavailable", exc_info=True)


def _token_changed(sender, instance, **kwargs) -> None:
    """Evict now, and again when the change commits: a call that read the old row before the
    commit may have cached it meanwhile (the signal fires inside the transaction)."""
    if settings.OAUTH2_TOKEN_CACHE_SECONDS and instance.token_checksum:
        evict = partial(_quietly, cache.delete, _key(instance.token_checksum))
        evict()
        on_commit(instance._state.db or "default", evict)


def connect_evictions() -> None:
    """Called at start-up (egov.portal.apps): a token saved or deleted is evicted."""
    token = get_access_token_model()
    post_save.connect(_token_changed, sender=token, dispatch_uid="token-cache-save")
    post_delete.connect(_token_changed, sender=token, dispatch_uid="token-cache-delete")
