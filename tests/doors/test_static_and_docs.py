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


def test_pages_run_no_inline_script_so_the_csp_holds():
    client = Client()
    page = client.get("/masuk/")
    html = page.content.decode()

    assert "onchange=" not in html
    assert "<script>" not in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert client.get("/static/egov/portal.js").status_code == 200


def test_the_admin_names_events_in_indonesian():
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("admin-uji", "a@x.id", "x"))
    index = client.get("/admin/").content.decode()
    events = client.get("/admin/ktp/ktpevent/").content.decode()

    assert "Ktp events" not in index
    assert "Peristiwa" in index
    assert "jenis peristiwa" in events.lower()  # the filter names the field in Indonesian
