"""Integrators' token look-ups cached in the shared cache (egov/portal/token_cache.py): one
database look-up while cached; a revoked token or a cut grant refuses on the very next call;
with a cache in process memory nothing is cached."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import AccessToken

from egov.portal.models import IntegratorGrant
from tests.principals import integrator_client

pytestmark = pytest.mark.django_db(databases="__all__")

URL = "/api/v1/feed/bus/"


@pytest.fixture
def shared_cache(require_redis):
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": require_redis.rsplit("/", 1)[0] + "/12",
    }
    with override_settings(CACHES={"default": redis_cache}, OAUTH2_TOKEN_CACHE_SECONDS=30):
        cache.clear()
        yield
        cache.clear()


def _get(client) -> tuple[int, int]:
    """The call's status and how many times it read the token table."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(URL).status_code
    return status, sum("oauth2_provider_accesstoken" in q["sql"] for q in queries)


def test_a_cached_token_is_read_from_the_database_once(shared_cache):
    client = integrator_client("pembaca", "feed:bus")

    assert [_get(client) for _ in range(3)] == [(200, 1), (200, 0), (200, 0)]


def test_a_revoked_token_is_refused_on_the_next_call(shared_cache):
    client = integrator_client("pembaca", "feed:bus")
    assert _get(client) == (200, 1)

    AccessToken.objects.get().revoke()  # what /o/revoke_token/ and the admin do

    assert _get(client) == (401, 1)


def test_a_token_cached_by_a_call_during_the_revocation_is_evicted_when_it_commits(
    shared_cache, django_capture_on_commit_callbacks
):
    client = integrator_client("pembaca", "feed:bus")
    assert _get(client) == (200, 1)
    stale = AccessToken.objects.get()
    key = f"oauth-token:{stale.token_checksum}"

    with django_capture_on_commit_callbacks(execute=True):
        AccessToken.objects.get().revoke()
        cache.set(key, stale)  # what a call in another process, reading before the commit, does

    assert _get(client) == (401, 1)


def test_a_cut_grant_refuses_at_once_while_the_token_is_cached(shared_cache):
    client = integrator_client("pembaca", "feed:bus")
    assert _get(client) == (200, 1)

    IntegratorGrant.objects.update(scopes="izin:baca")  # no signal: the grant is never cached

    assert _get(client) == (403, 0)


def test_with_the_cache_in_process_memory_every_call_reads_the_token():
    client = integrator_client("pembaca", "feed:bus")

    assert [_get(client) for _ in range(2)] == [(200, 1), (200, 1)]
