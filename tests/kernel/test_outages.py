"""Outages get clear answers: an unreachable context database is a 503 with Retry-After for
that context only; health endpoints tell which; a dead broker costs a command milliseconds
and the citizen still reads their own new request at once."""

import copy
import logging
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings

from egov.celery import app as celery_app
from egov.db import broker_outage, forget_broker_outage
from egov.eventstore.domain import EventMetadata
from egov.eventstore.tasks import sweep_projections
from tests.conftest import _forget_celery_connections
from tests.kernel.test_bad_input import event_counts
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView
from tests.kerneltest.store import store
from tests.ktp.conftest import PERMOHONAN, integrator  # noqa: F401 - a fixture
from tests.ktp.conftest import URL as KTP_URL
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")

IZIN_PUBLIC = "/api/v1/izin/verifikasi/ABC123/"  # reads izin_read
AUDIT_PUBLIC = "/api/v1/audit/kunci-publik/"  # reads audit
DEAD_BROKER = "redis://127.0.0.1:1/0"
META = EventMetadata(actor="t", source="test")


@contextmanager
def unreachable(alias: str):
    """This thread's connection to ``alias`` points at nothing (PostgreSQL: a closed port;
    SQLite: a file in a missing directory) until the block ends; the real one is restored."""
    original = connections[alias]
    broken = type(original)(_pointing_at_nothing(original.settings_dict, alias), alias)
    connections[alias] = broken
    try:
        yield
    finally:
        broken.close()
        connections[alias] = original


def _pointing_at_nothing(settings_dict: dict, alias: str) -> dict:
    broken = copy.deepcopy(settings_dict)
    if broken["ENGINE"].endswith("postgresql"):
        broken.update(HOST="127.0.0.1", PORT="1")  # nothing listens there: refused at once
    else:
        broken["NAME"] = str(Path("/nonexistent-egov") / f"{alias}.sqlite3")
    return broken


# --- A context database is down ------------------------------------------------------------


def test_that_contexts_api_is_503_json_with_retry_after_and_the_others_still_answer(caplog):
    before = event_counts()
    with unreachable("izin_read"), caplog.at_level(logging.WARNING, logger="egov.middleware"):
        down = Client().get(IZIN_PUBLIC)
        up = Client().get(AUDIT_PUBLIC)

    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert down.json()["code"] == "layanan_tidak_tersedia"
    assert up.status_code == 200
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelno) for r in logged] == [("egov.middleware", logging.WARNING)]
    assert logged[0].exc_info is None  # one line, no traceback
    assert event_counts() == before


@override_settings(SERVICE_UNAVAILABLE_RETRY_AFTER=7)
def test_the_admin_gets_a_styled_503_page_in_indonesian_or_english():
    admin = Client()
    admin.force_login(User.objects.create_superuser("admin_uji", password="x"))
    with unreachable("izin_read"):
        indonesian = admin.get("/admin/izin/izinstatus/")
        english = admin.get("/admin/izin/izinstatus/", headers={"Accept-Language": "en"})

    assert indonesian.status_code == english.status_code == 503
    assert indonesian["Retry-After"] == "7"
    assert indonesian["Content-Type"].startswith("text/html")
    assert "Layanan sedang tidak tersedia" in indonesian.content.decode()
    assert "Service temporarily unavailable" in english.content.decode()


def test_projections_reports_an_unreachable_context_and_still_lists_the_others():
    out, err = StringIO(), StringIO()
    with unreachable("izin_read"):
        call_command("projections", stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    izin = [line for line in lines if line.startswith("izin")]
    assert izin
    assert all(line.split()[-1] == "unreachable" for line in izin)
    healthy = [line for line in lines[1:] if not line.startswith("izin")]
    assert healthy
    assert all(line.split()[-1].isdigit() for line in healthy)
    assert "unreachable" in err.getvalue()


# --- Health --------------------------------------------------------------------------------


def test_liveness_needs_no_database():
    with unreachable("default"):
        response = Client().get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_is_200_when_every_database_answers():
    response = Client().get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["databases"].values()) == {"ok"}
    assert body["broker"] == "not_configured"  # the tests run tasks in-process


def test_readiness_is_503_and_names_the_context_that_is_down():
    with unreachable_for_new_connections("izin_read"):
        response = Client().get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.json()
    assert body["status"] == "unreachable"
    assert body["databases"]["izin_read"] == "unreachable"
    assert body["contexts"]["izin"] == "unreachable"
    assert body["contexts"]["ktp"] == body["contexts"]["audit"] == "ok"


@contextmanager
def unreachable_for_new_connections(alias: str):
    """Readiness checks each alias on a thread of its own, whose connection is built from the
    connection handler's settings: point those at nothing (this thread's stays as it is)."""
    original = connections.settings[alias]
    connections.settings[alias] = _pointing_at_nothing(original, alias)
    try:
        yield
    finally:
        connections.settings[alias] = original


# --- The broker is down --------------------------------------------------------------------


@pytest.fixture
def dead_broker():
    previous = {k: celery_app.conf[k] for k in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=DEAD_BROKER)
    _forget_celery_connections()
    forget_broker_outage()
    try:
        yield
    finally:
        celery_app.conf.update(previous)
        _forget_celery_connections()
        forget_broker_outage()


def _count(amount: int):
    counter = Penghitung.buat(pemilik="warga-broker", nama="Warga")
    counter.tambah(amount)
    with committed("kerneltest"):
        store.save(counter, META)
    return counter


def test_a_dead_broker_costs_a_commit_milliseconds_and_the_projection_runs_in_process(
    dead_broker, caplog
):
    with caplog.at_level(logging.INFO):
        started = time.perf_counter()
        counter = _count(3)
        first = time.perf_counter() - started
        started = time.perf_counter()
        _count(4)
        second = time.perf_counter() - started

    assert first < 1.0  # was ~3.1 s per command; a generous bound, the figure is milliseconds
    assert second < 1.0
    view = CounterView.objects.using("kerneltest_read").get(stream_id=counter.id)
    assert view.value == 3  # read-your-writes although no worker got a message
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in warnings] == ["egov.db"]  # one warning for both commits
    assert not any(r.exc_info for r in caplog.records)  # and no traceback
    assert broker_outage()


def test_through_the_api_a_command_is_fast_and_its_owner_reads_it_at_once(
    dead_broker,
    integrator,  # noqa: F811 - the e-KTP tests' fixture, imported above
):
    started = time.perf_counter()
    with committed("ktp"):
        created = integrator.post(KTP_URL, PERMOHONAN, format="json")
    elapsed = time.perf_counter() - started

    assert created.status_code == 202
    assert elapsed < 1.0
    assert integrator.get(f"{KTP_URL}{created.json()['id']}/").status_code == 200


def test_the_sweep_skips_a_context_whose_database_is_down_and_catches_up_the_others():
    counter = Penghitung.buat(pemilik="warga-sweep", nama="Warga")
    store.save(counter, META)  # no commit callback: as if the message was lost

    with unreachable("izin_read"):
        sweep_projections()

    assert CounterView.objects.using("kerneltest_read").filter(stream_id=counter.id).exists()
