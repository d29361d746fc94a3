"""Throttling per principal and per anonymous address (429 JSON with Retry-After), and login
lockout (django-axes) on the portal and the admin. State is in the cache and on ``default``:
each test starts and ends with both empty of it."""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from tests.kernel.test_bad_input import event_counts

pytestmark = pytest.mark.django_db(databases="__all__")

PUBLIC = "/api/v1/audit/kunci-publik/"  # anonymous, public
RATES = {"anon": "3/min", "user": "5/min", "publik": "2/min"}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_rates(monkeypatch):
    """DRF reads the rates once, at import: set them on the throttle classes."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", RATES)


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "throttled"


def test_rates_come_from_the_environment_with_defaults():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]

    assert set(rates) == {"anon", "user", "publik", "bus"}
    assert all(
        rate.split("/")[1] in {"s", "sec", "m", "min", "h", "hour", "d", "day"}
        for rate in rates.values()
    )


def test_an_anonymous_address_gets_429_after_its_rate(low_rates):
    before = event_counts()
    client = Client()
    answers = [client.get(PUBLIC).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert_throttled(client.get(PUBLIC))
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.get(PUBLIC).status_code == 200
    assert event_counts() == before


class SignedInView(APIView):
    permission_classes = (IsAuthenticated,)

    def get(self, request):
        return Response({"ok": True})


def test_a_signed_in_principal_has_its_own_budget(low_rates):
    view, factory = SignedInView.as_view(), APIRequestFactory()
    first, second = (User.objects.create_user(name) for name in ("warga_a", "warga_b"))

    def get_as(user):
        request = factory.get("/x")
        force_authenticate(request, user)
        response = view(request)
        response.render()
        return response

    assert [get_as(first).status_code for _ in range(5)] == [200] * 5
    assert_throttled(get_as(first))
    assert get_as(second).status_code == 200  # each principal has a budget of its own


class PublikView(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_scope = "publik"

    def get(self, request):
        return Response({"ok": True})


def test_a_view_with_the_publik_scope_gets_the_stricter_rate(low_rates):
    view = PublikView.as_view()
    factory = APIRequestFactory()
    answers = [view(factory.get("/x")).status_code for _ in range(2)]

    assert answers == [200, 200]
    throttled = view(factory.get("/x"))
    throttled.render()
    assert_throttled(throttled)


# --- Login lockout ---------------------------------------------------------------------------

PASSWORD = "kata-sandi-benar-2026"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def warga():
    return User.objects.create_user("warga_axes", password=PASSWORD)


@pytest.fixture
def petugas():
    return User.objects.create_user("petugas_axes", password=PASSWORD, is_staff=True)


def _login(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(("url", "who"), [("/masuk/", "warga"), ("/admin/login/", "petugas")])
def test_five_wrong_passwords_lock_the_username_from_that_address(url, who, request):
    user = request.getfixturevalue(who)
    client = Client()
    wrong = [_login(client, url, user.username, "salah").status_code for _ in range(LIMIT)]
    assert wrong == [200] * (LIMIT - 1) + [429]  # the form again, then the lockout page

    refused = _login(client, url, user.username, PASSWORD)

    assert refused.status_code == 429
    assert not _signed_in(client)
    assert "Terlalu banyak percobaan masuk" in refused.content.decode()
    # Another address may still sign in as that user (lockout is per username and address).
    elsewhere = Client(REMOTE_ADDR="10.0.0.7")
    assert _login(elsewhere, url, user.username, PASSWORD).status_code == 302
    assert _signed_in(elsewhere)


def test_after_the_cooloff_the_right_password_works_again(warga):
    client = Client()
    for _ in range(LIMIT):
        _login(client, "/masuk/", warga.username, "salah")
    assert _login(client, "/masuk/", warga.username, PASSWORD).status_code == 429

    past = (
        datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(seconds=1)
    )
    AccessAttempt.objects.update(attempt_time=past)

    assert _login(client, "/masuk/", warga.username, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_an_officer_reset_unlocks_at_once(warga):
    from axes.utils import reset

    client = Client()
    for _ in range(LIMIT):
        _login(client, "/masuk/", warga.username, "salah")
    assert _login(client, "/masuk/", warga.username, PASSWORD).status_code == 429

    reset(username=warga.username)

    assert _login(client, "/masuk/", warga.username, PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_does_not_dodge_the_lockout(warga):
    for i in range(LIMIT):
        _login(Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"), "/masuk/", warga.username, "x")

    refused = _login(
        Client(HTTP_X_FORWARDED_FOR="203.0.113.99"), "/masuk/", warga.username, PASSWORD
    )

    assert refused.status_code == 429


def test_with_the_cache_server_down_requests_are_served_unthrottled(settings, caplog, monkeypatch):
    """A real Redis client pointed at a closed port: the throttle cannot count, so it lets
    the request through (with one warning) instead of answering 500."""
    monkeypatch.setattr("egov.throttles._warned_at", 0.0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    anyone = Client()

    answers = [anyone.get("/api/v1/izin/verifikasi/tidak-ada/").status_code for _ in range(3)]

    assert answers == [404, 404, 404]
    assert [r.name for r in caplog.records if "throttle" in r.getMessage()] == ["egov.throttles"]
