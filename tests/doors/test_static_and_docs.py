"""Officers get a styled admin and integrators readable API docs, with no CDN: every static
file is served by the app itself (WhiteNoise), in every mode."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(databases="__all__")


def test_the_admins_stylesheet_is_served_by_the_app():
    response = Client().get("/static/admin/css/base.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_load_only_local_assets(page):
    html = Client().get(page).content.decode()

    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_swaggers_start_script_and_bundle_are_served_locally():
    client = Client()
    script = client.get("/api/docs/?script=")
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")

    assert script.status_code == 200
    assert bundle.status_code == 200
    assert "Content-Security-Policy" in client.get("/api/docs/").headers
