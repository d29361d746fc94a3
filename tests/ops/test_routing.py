"""Task routing: every projector, policy and context task lands on its context's queue, with
its priority; the Procfile runs a worker for every queue. No broker needed: the router is
asked what it would do."""

import re

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import override_settings

from egov import queues
from egov.celery import app as celery_app
from egov.context import ContextConfig
from egov.eventstore.projections import all_projectors, get_projector
from tests.support import ROOT

REDIS = "redis://127.0.0.1:6379/13"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def per_context(request):
    """The router as a deployment sees it: per-context queues (the default queue is egov)."""
    previous = celery_app.conf.broker_url, celery_app.conf.task_default_queue
    celery_app.conf.broker_url = REDIS
    celery_app.conf.task_default_queue = queues.DEFAULT_QUEUE
    yield
    celery_app.conf.broker_url, celery_app.conf.task_default_queue = previous


def route(name: str, *args) -> tuple[str, int]:
    options = celery_app.amqp.router.route({}, name, args, {}, celery_app.tasks.get(name))
    return options["queue"].name, options["priority"]


def context_tasks() -> dict[str, str]:
    """Every Celery task defined in a context's ``tasks`` module -> that context."""
    packages = {
        config.name: config.label
        for config in django_apps.get_app_configs()
        if isinstance(config, ContextConfig)
    }
    found = {}
    for name, task in celery_app.tasks.items():
        module = task.run.__module__
        for package, label in packages.items():
            if module.startswith(f"{package}."):
                found[name] = label
    return found


def test_every_projector_and_policy_runs_on_its_own_contexts_queue(per_context):
    routed = {p.name: route("eventstore.run_projector", p.name)[0] for p in all_projectors()}

    assert routed == {p.name: p.context for p in all_projectors()}
    # A policy reading another context's feed runs where its reactions are recorded.
    assert (get_projector("bansos.identitas").subscriptions, routed["bansos.identitas"]) == (
        ("ktp",),
        "bansos",
    )


def test_every_context_task_runs_on_its_contexts_queue(per_context):
    tasks = context_tasks()

    assert {name: route(name)[0] for name in tasks} == tasks
    assert set(tasks.values()) >= {"ktp", "izin", "pajak", "audit", "notifikasi"}
    # notifications kept their old task name (audit_...) but run where their code lives
    assert tasks["audit_kirim_notifikasi"] == "notifikasi"


def test_a_commits_fan_out_runs_on_the_committing_contexts_queue(per_context):
    routed = {c: route("eventstore.dispatch_projectors", c)[0] for c in settings.CONTEXTS}

    assert routed == {context: context for context in settings.CONTEXTS}


def test_the_kernels_tasks_run_on_the_default_queue(per_context):
    assert route("eventstore.sweep_projections")[0] == "egov"


def test_citizen_pages_first_reports_and_scheduled_jobs_last_on_each_broker(per_context):
    cases = {
        ("eventstore.run_projector", "ktp.status"): queues.HIGH,
        ("eventstore.run_projector", "pajak.wajib_pajak"): queues.HIGH,
        ("eventstore.run_projector", "izin.identitas"): queues.NORMAL,
        ("eventstore.run_projector", "pajak.statistik"): queues.LOW,
        ("eventstore.dispatch_projectors", "izin"): queues.HIGH,  # every projection waits on it
        ("ktp_verifikasi",): queues.NORMAL,
        ("ktp_sapu",): queues.LOW,  # on beat's schedule
        ("eventstore.sweep_projections",): queues.LOW,
    }
    for broker, numbers in ((REDIS, (0, 3, 9)), (RABBITMQ, (9, 6, 0))):
        celery_app.conf.broker_url = broker
        expected = dict(zip((queues.HIGH, queues.NORMAL, queues.LOW), numbers, strict=True))
        assert {case: route(*case)[1] for case in cases} == {
            case: expected[level] for case, level in cases.items()
        }


def test_the_priority_lists_name_registered_projectors():
    names = {p.name for p in all_projectors()}

    assert names >= queues.CITIZEN_FACING
    assert names >= queues.REPORTS
    assert not queues.CITIZEN_FACING & queues.REPORTS


def test_a_prefix_names_every_queue(per_context):
    celery_app.conf.task_default_queue = "staging-egov"
    with override_settings(QUEUE_PREFIX="staging-"):
        assert route("eventstore.run_projector", "ktp.status")[0] == "staging-ktp"
        assert route("izin_kirim")[0] == "staging-izin"
        assert route("eventstore.sweep_projections")[0] == "staging-egov"


def test_one_named_queue_takes_everything(per_context):
    celery_app.conf.task_default_queue = "satu-antrean"  # CELERY_QUEUE=satu-antrean

    assert {route("eventstore.run_projector", "ktp.status")[0], route("izin_kirim")[0]} == {
        "satu-antrean"
    }


def test_the_procfile_runs_one_worker_per_queue_group_and_beat_once():
    lines = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    consumed = []
    for name, command in lines.items():
        if " worker " in command:
            assert name.startswith("worker_")
            [queue_list] = re.findall(r" -Q (\S+)", command)
            consumed += queue_list.replace("${CELERY_QUEUE_PREFIX}", "").split(",")

    deployed = [c for c in settings.CONTEXTS if not c.startswith("kerneltest")]  # tests only
    assert sorted(consumed) == sorted([*deployed, "egov"])  # each queue once
    assert [name for name, command in lines.items() if " beat " in command] == ["beat"]
    assert {"worker_ktp", "worker_izin", "worker_pajak", "worker_bansos"} <= set(lines)
