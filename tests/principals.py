"""Test helpers: real principals through the real front doors (portal session, OAuth2
client credentials at /o/token/, a citizen's personal token), never a forced user object."""

from __future__ import annotations

import base64

from django.contrib.auth.models import Group, User
from oauth2_provider.models import Application
from rest_framework.test import APIClient

from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import principal_for_user
from egov.portal.models import DIKLAIM, TERVERIFIKASI, CitizenProfile, IntegratorGrant
from egov.portal.personal_tokens import token_pribadi_buat
from egov.principals import OFFICER, Principal

SECRET = "rahasia-klien-uji-0123456789"


def citizen(username: str, nik: str, *, verified: bool = True) -> User:
    user = User.objects.create_user(username, f"{username}@warga.test", "pw")
    CitizenProfile.objects.create(
        user=user,
        subject_id=keyed_hash(nik),
        nik_masked=mask_nik(nik),
        status=TERVERIFIKASI if verified else DIKLAIM,
    )
    return user


def officer(username: str, *groups: str, staff: bool = True) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"is_staff": staff})
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def session_client(user: User) -> APIClient:
    """A person's API client: their portal session (as the browser would send it)."""
    client = APIClient()
    client.force_login(user)
    return client


def personal_token(user: User, name: str = "Aplikasi uji") -> str:
    """A citizen's personal token, made by the use case the portal page "Akses API" calls."""
    return token_pribadi_buat(principal=principal_for_user(user), nama=name).token


def token_client(user: User) -> APIClient:
    """A citizen's script: their personal token as the bearer, no session, no CSRF token."""
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {personal_token(user)}")
    return client


def integrator_client(client_id: str, *scopes: str, granted: tuple[str, ...] = ()) -> APIClient:
    """An agency's client: registered with ``granted`` scopes (default: ``scopes``), token
    obtained by client credentials asking for ``scopes``."""
    client = APIClient()
    token = integrator_token(client_id, *scopes, granted=granted)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def integrator_token(client_id: str, *scopes: str, granted: tuple[str, ...] = ()) -> str:
    """Register the client, then ask /o/token/ as the agency would."""
    app = Application.objects.create(
        name=client_id,
        client_id=client_id,
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    IntegratorGrant.objects.create(
        application=app, instansi=f"Instansi {client_id}", scopes=" ".join(granted or scopes)
    )
    basic = base64.b64encode(f"{client_id}:{SECRET}".encode()).decode()
    response = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": " ".join(scopes)},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def principal(user: User) -> Principal:
    return principal_for_user(user)


def counter_officer(role: str, name: str = "petugas-loket") -> Principal:
    """An officer principal for setting the scene through commands."""
    return Principal(kind=OFFICER, id=f"user:{name}", name=name, roles=frozenset({role}))
