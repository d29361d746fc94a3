"""Integrators get credentials from an operator and expiring tokens over HTTP."""

import base64
import io

import pytest
from django.core.management import CommandError, call_command
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db(databases="__all__")


def _register(scopes: str) -> tuple[str, str]:
    out = io.StringIO()
    call_command("create_integrator", instansi="Bank Contoh", scopes=scopes, stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    return lines["client_id"], lines["client_secret"]


def _token(client_id: str, secret: str, scope: str):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )


def test_a_registered_client_gets_an_expiring_token_for_its_granted_scopes_only():
    client_id, secret = _register("izin:baca")

    granted = _token(client_id, secret, "izin:baca")
    beyond = _token(client_id, secret, "izin:ajukan")
    wrong_secret = _token(client_id, "salah", "izin:baca")

    assert granted.status_code == 200
    assert (granted.json()["scope"], granted.json()["expires_in"]) == ("izin:baca", 3600)
    assert (beyond.status_code, beyond.json()["error"]) == (400, "invalid_scope")
    assert wrong_secret.status_code == 401
    assert AccessToken.objects.count() == 1


def test_an_expired_token_is_refused():
    client_id, secret = _register("izin:baca")
    token = _token(client_id, secret, "izin:baca").json()["access_token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/izin/antrean/").status_code == 403  # valid token, no role

    AccessToken.objects.update(expires="2000-01-01T00:00:00Z")

    assert client.get("/api/v1/izin/antrean/").status_code == 401


def test_unknown_scopes_are_refused_at_registration():
    with pytest.raises(CommandError, match="Unknown scopes: pajak:semua"):
        _register("izin:baca pajak:semua")
