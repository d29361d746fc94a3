"""/metrics: refused to anyone not on an allowed network and without the token; egov's own
series count a command's events, show each projector's lag, and the request's correlation id
is the one its events carry."""

import ipaddress
import re

import pytest
from django.test import Client, override_settings

from apps.ktp.models import KtpEvent
from tests.ktp.conftest import PERMOHONAN, URL
from tests.principals import integrator_client
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")

TOKEN = "token-metrik-uji-0123456789"
PROMETHEUS = [ipaddress.ip_network("10.1.2.0/24")]


def scrape(**extra) -> str:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **extra)
    assert response.status_code == 200
    return response.content.decode()


def value(text: str, series: str) -> float:
    """A series' value (``name{labels}``), 0 when it is not there yet."""
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_NETWORKS=PROMETHEUS)
def test_metrics_are_refused_without_the_token_or_an_allowed_address():
    client = Client()

    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is not an allowed network
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer salah").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 403  # no scheme
    assert client.get("/metrics", REMOTE_ADDR="10.1.3.7").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.7").status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.post("/metrics", REMOTE_ADDR="10.1.2.7").status_code == 405


def test_with_nothing_configured_metrics_are_refused_to_everyone():
    assert Client().get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_command_counts_its_events_and_its_events_carry_the_requests_correlation_id():
    integrator = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    before = scrape()
    stored = KtpEvent.objects.using("ktp")
    events_before = stored.count()

    with committed("ktp"):
        answer = integrator.post(URL, PERMOHONAN, format="json", HTTP_X_CORRELATION_ID="kor-42")

    assert answer.status_code == 202
    assert answer["X-Correlation-ID"] == "kor-42"
    appended = stored.count() - events_before
    assert appended >= 1
    after = scrape()
    series = 'egov_events_appended_total{context="ktp"}'
    assert value(after, series) - value(before, series) == appended
    new_events = stored.order_by("position")[events_before:]
    assert {e.metadata["correlation_id"] for e in new_events} == {"kor-42"}
    # The e-KTP status projection ran on commit (no broker here): nothing behind.
    lag = 'egov_projector_lag_events{context="ktp",feed="ktp",projector="ktp.status"} 0.0'
    assert lag in after.splitlines()
    head = value(after, 'egov_feed_head_position{context="ktp"}')
    assert head == stored.order_by("-position").first().position


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_request_without_ids_gets_a_request_id_that_is_also_its_correlation_id():
    answer = Client().get("/healthz")

    assert answer["X-Correlation-ID"] == answer["X-Request-ID"]
    assert len(answer["X-Request-ID"]) == 36
    given = Client().get("/healthz", HTTP_X_REQUEST_ID="req-7")
    assert (given["X-Request-ID"], given["X-Correlation-ID"]) == ("req-7", "req-7")
