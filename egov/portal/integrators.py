"""Registering an integrator (an agency's or a bank's API client): an OAuth2 client with the
client-credentials grant and the scopes its agency is granted, in one transaction. Used by
``manage.py create_integrator`` and by the demo data."""

from __future__ import annotations

from collections.abc import Iterable

from oauth2_provider.models import Application

from egov.db import atomic
from egov.portal.models import IntegratorGrant


def register_integrator(
    *, instansi: str, scopes: Iterable[str], client_id: str, client_secret: str
) -> Application:
    """The client (its secret stored hashed) and its grant; ``scopes`` as granted."""
    with atomic("default"):
        application = Application.objects.create(
            name=instansi,
            client_id=client_id,
            client_secret=client_secret,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        )
        IntegratorGrant.objects.create(
            application=application, instansi=instansi, scopes=" ".join(scopes)
        )
    return application
