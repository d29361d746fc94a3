"""Celery queues per context: where each task goes and how urgent it is.

Every context's work runs on its own queue (``ktp``, ``izin``, ``pajak``, ``bansos``,
``audit``, ``notifikasi``, ``bus``), so a slow or failing context fills only its own queue and
its own workers; the others keep their pace. Nothing here lists tasks by hand; the routes
follow from what the contexts declare (``egov.context.ContextConfig``):

- a projector or policy run (``eventstore.run_projector``) goes to the queue of the context
  that owns the projector (``Projector.context``: where its read rows or reactions live), so
  ``bansos.identitas`` (reading ktp's feed) runs on ``bansos``;
- the fan-out after a commit (``eventstore.dispatch_projectors``: it sends those runs) goes
  to the queue of the context that committed, first in line; with that context's workers
  all down, the other contexts' reactions to its events wait for the beat sweep;
- a task defined in a context's ``tasks`` module goes to that context's queue;
- the kernel's own tasks (the projection sweep) go to the default queue ``egov``.

Priorities inside a queue (three levels): projections a citizen reads right after acting
(their status pages) first, then every other task, then reports and scheduled batch jobs (the
beat's sweeps and deadline checks). Redis numbers priorities the other way round from
RabbitMQ (on Redis 0 is served first; on RabbitMQ 9), so a level becomes a number per broker.

``CELERY_QUEUE`` (a single queue name) turns routing off: every task then goes to that one
queue (a one-worker deployment, a test's private queue). ``CELERY_QUEUE_PREFIX`` prefixes
every queue name, so two deployments (or test runs) can share one broker.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.apps import apps as django_apps
from django.conf import settings

DEFAULT_QUEUE = "egov"  # the kernel's tasks (the projection sweep)

HIGH, NORMAL, LOW = "high", "normal", "low"
# RabbitMQ: higher is sooner (queues declared with x-max-priority = MAX_PRIORITY).
# Redis: kombu keeps one list per step of ``priority_steps`` and pops the lowest step first.
MAX_PRIORITY = 9
REDIS_PRIORITY_STEPS = [0, 3, 6, 9]
_NUMBERS = {
    "amqp": {HIGH: 9, NORMAL: 6, LOW: 0},
    "redis": {HIGH: 0, NORMAL: 3, LOW: 9},
}

# Projections whose rows a citizen's own page shows right after a command (read-your-writes:
# the e-KTP status, the permit and its document, the taxpayer's profile and billing codes,
# their aid, their notifications, a bus message's proof of delivery).
CITIZEN_FACING = frozenset(
    {
        "ktp.status",
        "izin.status",
        "izin.dokumen",
        "pajak.wajib_pajak",
        "bansos.ringkasan",
        "notifikasi.status",
        "bus.bukti",
    }
)
# Statistics for dashboards and monthly reports: they may wait behind everything else.
REPORTS = frozenset({"pajak.statistik"})


def broker_kind(url: str) -> str:
    """``redis`` (also rediss and sentinel) or ``amqp`` (RabbitMQ); ``amqp`` when unset."""
    scheme = urlsplit(url).scheme.split("+")[0]
    return "redis" if scheme in {"redis", "rediss", "sentinel"} else "amqp"


def priority_number(level: str, broker_url: str | None = None) -> int:
    url = settings.CELERY_BROKER_URL if broker_url is None else broker_url
    return _NUMBERS[broker_kind(url)][level]


def queue_name(context: str) -> str:
    return f"{settings.QUEUE_PREFIX}{context}"


def context_queues() -> list[str]:
    """Every queue a deployment consumes: one per context, and the default one."""
    return [queue_name(context) for context in [*settings.CONTEXTS, DEFAULT_QUEUE]]


def _context_modules() -> dict[str, str]:
    """Python package -> context label, for every declared context."""
    from egov.context import ContextConfig  # the app registry is ready when tasks are sent

    return {
        config.name: config.label
        for config in django_apps.get_app_configs()
        if isinstance(config, ContextConfig)
    }


def _projector(name: str, args):
    if name != "eventstore.run_projector" or not args:
        return None
    from egov.eventstore.projections import get_projector

    try:
        return get_projector(args[0])
    except KeyError:
        return None


def _fanned_out(name: str, args) -> str | None:
    """The context whose commit a fan-out task dispatches projector runs for."""
    from egov.eventstore.projections import FAN_OUT_TASK

    return args[0] if name == FAN_OUT_TASK and args else None


def task_context(name: str, args=(), task=None) -> str | None:
    """The context whose queue runs this task; None for the kernel's own tasks."""
    if context := _fanned_out(name, args):
        return context  # the committing context's queue (see the module docstring)
    projector = _projector(name, args)
    if projector is not None:
        return projector.context
    if task is None:
        from egov.celery import app

        task = app.tasks.get(name)
    module = getattr(getattr(task, "run", None), "__module__", "") or ""
    for package, label in _context_modules().items():
        if module == package or module.startswith(f"{package}."):
            return label
    return None


def _scheduled_tasks() -> set[str]:
    from egov.celery import app

    return {entry["task"] for entry in app.conf.beat_schedule.values()}


def task_level(name: str, args=()) -> str:
    if _fanned_out(name, args):
        return HIGH  # every projection of a commit waits for it
    projector = _projector(name, args)
    if projector is not None:
        declared = getattr(projector, "queue_priority", None)  # a projector may declare it
        if declared in _NUMBERS["amqp"]:
            return declared
        if projector.name in CITIZEN_FACING:
            return HIGH
        return LOW if projector.name in REPORTS else NORMAL
    return LOW if name in _scheduled_tasks() else NORMAL


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (``CELERY_TASK_ROUTES``): the context's queue and the task's priority."""
    from egov.celery import app

    default = app.conf.task_default_queue
    route = {"priority": priority_number(task_level(name, args), app.conf.broker_url or "")}
    if default != queue_name(DEFAULT_QUEUE):
        return {**route, "queue": default}  # CELERY_QUEUE: one queue for everything
    context = task_context(name, args, task)
    return {**route, "queue": queue_name(context) if context else default}
