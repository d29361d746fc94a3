"""Embedded mode (``make run``: no NATS_URL, no Celery broker): the HTTP door is the way in
and the HTTP feed the way out, and everything in between runs in-process right after each
commit (on-commit hooks, Celery eager), with no relay, consumer or worker running and no test
calling a projector."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from apps.bus.read_models import BuktiPesan
from apps.ktp.models import KematianTertunda
from egov.eventstore.pseudonym import keyed_hash
from tests.bus.pesan import NIK, amplop, daftar_instansi
from tests.principals import integrator_client


@pytest.mark.django_db(databases="__all__")
def test_a_death_in_through_the_http_door_is_processed_in_process_and_out_on_the_feed(
    django_capture_on_commit_callbacks,
):
    assert (django_settings.NATS_URL, django_settings.CELERY_TASK_ALWAYS_EAGER) == ("", True)
    daftar_instansi()
    envelope = amplop()

    # the test's transaction never commits: what the bus's commit would run, runs here
    with django_capture_on_commit_callbacks(using="bus", execute=True) as ran:
        answer = APIClient().post("/api/v1/bus/pesan/", envelope, format="json")

    assert answer.status_code == 202
    assert ran  # the store's hook: the projectors reading the bus's feed
    message_id = envelope["message_id"]
    # inbound, in-process after the commit: the proof projected, e-KTP's policy ran (the NIK
    # is unknown to e-KTP here: a dead letter for the officer, not a lost message)
    assert BuktiPesan.objects.using("bus_read").filter(message_id=message_id).exists()
    letter = KematianTertunda.objects.using("ktp_read").get()
    assert (letter.message_id, letter.nik_hash) == (message_id, keyed_hash(NIK, purpose="nik"))
    # outbound: the HTTP feed is the door, read straight from the committed feed
    page = integrator_client("pembaca", "feed:bus").get("/api/v1/feed/bus/").json()
    assert [(e["event_type"], e["payload"]["message_id"]) for e in page["peristiwa"]] == [
        ("KematianDicatat", message_id)
    ]


@pytest.mark.parametrize(
    ("command", "door"), [("bus_relay", "feed/{context}"), ("bus_consume", "bus/pesan")]
)
def test_the_nats_processes_refuse_to_start_without_nats_and_name_the_http_door(
    command, door, settings
):
    settings.NATS_URL = ""
    with pytest.raises(CommandError, match=re.escape("/api/v1/") + re.escape(door)):
        call_command(command, stdout=StringIO())
