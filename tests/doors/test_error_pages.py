"""Error pages people see are styled, in Bahasa Indonesia first and in English on request."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.mark.parametrize(
    ("language", "heading"), [("id", "Halaman tidak ditemukan"), ("en", "Page not found")]
)
def test_a_missing_page_is_styled_in_the_visitors_language(language, heading):
    response = Client(headers={"accept-language": language}).get("/tidak-ada/")

    assert response.status_code == 404
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "DEBUG=True" not in html


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (lambda r: defaults.server_error(r), 500, "Something went wrong"),
        (lambda r: defaults.permission_denied(r, PermissionDenied()), 403, "Access denied"),
        (lambda r: defaults.bad_request(r, ValueError()), 400, "Invalid request"),
    ],
)
def test_other_error_pages_speak_english_too(view, status, heading):
    with translation.override("en"):
        response = view(RequestFactory().get("/"))

    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in response.content.decode()
