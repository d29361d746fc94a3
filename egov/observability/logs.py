"""Structured logs with correlation ids, in every process (web, Celery workers, the bus).

A request's correlation id (``X-Correlation-ID``, else its request id: ``egov.web`` puts the
same one into the events' metadata) is held in a context variable while the request runs;
``CorrelationFilter`` copies it onto every log record, and ``JsonFormatter`` writes one JSON
object per line. A task sent while it is set carries it in a message header
(``egov_correlation``), and the worker sets it again for the task's run: the log lines of the
projections and policies a command caused carry that command's correlation id. A task with no
such header (beat's jobs) starts a correlation of its own, its task id.
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from contextlib import contextmanager

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

HEADER = "egov_correlation"
REQUEST_HEADER = "egov_request"

_correlation: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")
_request: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_task_tokens: dict[str, tuple] = {}

logger = logging.getLogger(__name__)


def correlation_id() -> str:
    return _correlation.get()


def request_id() -> str:
    return _request.get()


@contextmanager
def bound(*, correlation_id: str, request_id: str = ""):
    """Log lines (and tasks sent) inside the block carry these ids; for a process that acts
    on its own input (the bus consumer on a received message, a management command)."""
    tokens = (_correlation.set(correlation_id), _request.set(request_id))
    try:
        yield
    finally:
        _request.reset(tokens[1])
        _correlation.reset(tokens[0])


class CorrelationFilter(logging.Filter):
    """Adds ``correlation_id``, ``request_id`` and, inside a Celery task, ``task_name`` and
    ``task_id`` to every record (empty when none is set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _correlation.get()
        record.request_id = _request.get()
        task = _current_task()
        record.task_name = getattr(task, "name", "") if task else ""
        record.task_id = (getattr(task.request, "id", "") or "") if task else ""
        return True


def _current_task():
    from celery import current_task

    return current_task if current_task and current_task.request.id else None


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, the ids, the exception."""

    FIELDS = (
        "levelname",
        "name",
        "message",
        "correlation_id",
        "request_id",
        "task_name",
        "task_id",
        "process",
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(self.FIELDS, **kwargs)


class CorrelationMiddleware:
    """First middleware: every request gets a request id (``X-Request-ID`` or a new one) and
    a correlation id (``X-Correlation-ID`` or the request id), both answered as headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.META.get("HTTP_X_REQUEST_ID") or str(uuid.uuid4())
        # egov.web.metadata_from_request reads the same headers: the events get these ids.
        request.META["HTTP_X_REQUEST_ID"] = rid
        cid = request.META.get("HTTP_X_CORRELATION_ID") or rid
        with bound(correlation_id=cid, request_id=rid):
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        response["X-Correlation-ID"] = cid
        return response


# --- Celery: the ids travel in message headers -------------------------------------------


def _add_headers(headers=None, **_kwargs) -> None:
    if headers is None:
        return
    if _correlation.get() and HEADER not in headers:
        headers[HEADER] = _correlation.get()
        headers[REQUEST_HEADER] = _request.get()


def _task_started(task_id=None, task=None, **_kwargs) -> None:
    if task is None or task.request.is_eager:
        return  # eager: runs in the sender's context, which already holds the ids
    cid = getattr(task.request, HEADER, None) or task_id or ""
    rid = getattr(task.request, REQUEST_HEADER, None) or ""
    _task_tokens[task_id] = (_correlation.set(cid), _request.set(rid))


def _task_finished(task_id=None, task=None, state=None, **_kwargs) -> None:
    tokens = _task_tokens.pop(task_id, None)
    if tokens is None:
        return
    logger.info("task %s %s", getattr(task, "name", "?"), state or "finished")
    _request.reset(tokens[1])
    _correlation.reset(tokens[0])


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(_add_headers, weak=False)
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_postrun.connect(_task_finished, weak=False)
