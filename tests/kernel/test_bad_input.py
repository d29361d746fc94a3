"""Bad input never gets a 5xx: each refusal has its exact status, a JSON ``{code, detail}``
under /api/, and nothing is appended to any event table."""

import io
import logging
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from egov.api import IDEMPOTENCY_KEY_MAX_LENGTH, InvalidIdempotencyKey, validate_idempotency_key
from egov.db import alias_for_model
from egov.eventstore.models import StoredEvent
from egov.parsers import MAX_JSON_DEPTH, BoundedJSONParser, RequestTooLarge, json_depth_exceeds

pytestmark = pytest.mark.django_db(databases="__all__")

IZIN = "/api/v1/izin/"


def event_counts() -> dict[str, int]:
    """Rows in every context's event table (each on its own write alias)."""
    tables = [m for m in apps.get_models() if issubclass(m, StoredEvent) and not m._meta.abstract]
    return {m._meta.label: m.objects.using(alias_for_model(m)).count() for m in tables}


@pytest.fixture
def no_events_appended():
    before = event_counts()
    yield
    assert event_counts() == before


@pytest.fixture
def signed_in() -> APIClient:
    client = APIClient()
    client.force_login(User.objects.create_user("warga_uji", password="x"))
    return client


def assert_json_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


# --- NUL in a path or query value: 400, once for every request -----------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/izin/antrean/?tahap=%00",
        "/api/v1/izin/verifikasi/a%00b/",
        "/api/v1/izin/antrean/?%00=x",
    ],
)
def test_a_nul_in_an_api_path_or_query_is_400_json(url, no_events_appended):
    assert_json_error(Client().get(url), 400, "nul_character")


def test_a_nul_in_a_portal_path_or_query_is_400_too(no_events_appended):
    assert Client().get("/izin/?q=a%00b").status_code == 400
    assert Client().get("/masuk/%00/").status_code == 400
    assert Client().post("/masuk/?next=%00", {"username": "a", "password": "b"}).status_code == 400


# --- Bodies: size and depth ---------------------------------------------------------------


def test_a_body_over_the_upload_limit_is_413_json(signed_in, no_events_appended):
    body = b'{"nama_usaha": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'

    response = signed_in.post(IZIN, body, content_type="application/json")

    assert_json_error(response, 413, "request_too_large")


def test_the_parser_stops_reading_at_the_limit_whatever_the_declared_length():
    stream = io.BytesIO(b"[" + b"1," * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b"1]")

    with pytest.raises(RequestTooLarge):
        BoundedJSONParser().parse(stream)


def test_100000_nested_brackets_are_400_json_not_a_recursion_error(signed_in, no_events_appended):
    response = signed_in.post(IZIN, "[" * 100_000, content_type="application/json")

    assert_json_error(response, 400, "json_too_deep")


def test_a_malformed_json_body_is_400_json(signed_in, no_events_appended):
    response = signed_in.post(IZIN, '{"nik": ', content_type="application/json")

    assert_json_error(response, 400, "json_invalid")


def test_depth_is_counted_outside_strings_only():
    assert not json_depth_exceeds('{"a": "' + "[" * 1000 + '"}', MAX_JSON_DEPTH)
    assert not json_depth_exceeds("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH, MAX_JSON_DEPTH)
    assert json_depth_exceeds("[" * (MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)
    assert json_depth_exceeds('{"a": "\\"", "b": ' + "[" * 40 + "]" * 40 + "}", MAX_JSON_DEPTH)


# --- Idempotency-Key ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["k" * (IDEMPOTENCY_KEY_MAX_LENGTH + 1), "abc\tdef", "abc\x7fdef", "\x01"],
)
def test_an_unstorable_idempotency_key_is_400_json(signed_in, key, no_events_appended):
    response = signed_in.post(IZIN, {}, format="json", headers={"Idempotency-Key": key})

    assert_json_error(response, 400, "idempotency_key_invalid")


def test_the_validator_accepts_a_key_of_exactly_200_printable_characters():
    validate_idempotency_key("k" * IDEMPOTENCY_KEY_MAX_LENGTH)
    validate_idempotency_key("3f2a-ü-ключ")
    with pytest.raises(InvalidIdempotencyKey):
        validate_idempotency_key("k" * (IDEMPOTENCY_KEY_MAX_LENGTH + 1))


# --- Unknown paths, malformed ids, crashes: JSON under /api/ ------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/izin/bukan-uuid/", "/api/v1/tidak-ada/", "/api/v1/izin/1234/riwayat/"]
)
def test_an_unknown_api_path_or_a_malformed_uuid_is_404_json(signed_in, url, no_events_appended):
    assert_json_error(signed_in.get(url), 404, "not_found")


def test_an_unknown_portal_path_is_still_an_html_404():
    response = Client().get("/tidak-ada/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_drf_refusal_carries_its_code():
    response = APIClient().get("/api/v1/izin/antrean/")

    assert response.status_code in (401, 403)
    assert response.json()["code"]


def test_an_unhandled_error_under_api_is_a_logged_json_500(caplog, no_events_appended):
    client = Client(raise_request_exception=False)
    boom = RuntimeError("bug")
    with (
        mock.patch("apps.izin.queries.verifikasi_dokumen", side_effect=boom),
        caplog.at_level(logging.ERROR, logger="django.request"),
    ):
        response = client.get("/api/v1/izin/verifikasi/ABC123/")

    assert_json_error(response, 500, "server_error")
    assert "bug" not in response.content.decode()  # no internals leak to the caller
    assert any(r.exc_info and r.exc_info[1] is boom for r in caplog.records)
