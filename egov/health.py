"""Health endpoints for the orchestrator (no authentication, no throttling, no session).

- ``/healthz`` (liveness): the process answers. It touches no database, so an outage of a
  dependency never gets a healthy process restarted.
- ``/readyz`` (readiness): every database alias answers ``SELECT 1``, the cache answers and,
  when one is configured, the Celery broker accepts a connection. 200 when all do; 503 with
  ``Retry-After`` and the status of each otherwise, so a load balancer stops sending traffic
  and an operator sees which context is down. The checks run in parallel (one thread each,
  on its own connection, closed afterwards), so the answer takes at most about one connect
  timeout (``DB_CONNECT_TIMEOUT``) however many databases are down.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from egov.databases import read_alias
from egov.db import is_replica
from egov.middleware import retry_after_seconds

logger = logging.getLogger(__name__)

OK, UNREACHABLE, NOT_CONFIGURED = "ok", "unreachable", "not_configured"
BROKER_TIMEOUT_SECONDS = 1.0


@never_cache
@require_GET
def liveness(request):
    return JsonResponse({"status": OK})


def check_database(alias: str) -> str:
    connection = connections[alias]  # this thread's own connection to the alias
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return OK
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log
        logger.warning("readiness: database %s unreachable: %s", alias, _first_line(exc))
        return UNREACHABLE
    finally:
        connection.close()


def check_cache() -> str:
    try:
        cache.get("egov:readyz")
        return OK
    except Exception as exc:
        logger.warning("readiness: cache unreachable: %s", _first_line(exc))
        return UNREACHABLE


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return NOT_CONFIGURED  # embedded mode: tasks run in-process
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return OK
    except Exception as exc:
        logger.warning("readiness: broker unreachable: %s", _first_line(exc))
        return UNREACHABLE


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def readiness_report() -> dict:
    aliases = list(settings.DATABASES)
    with ThreadPoolExecutor(max_workers=len(aliases) + 2) as pool:
        databases = dict(zip(aliases, pool.map(check_database, aliases), strict=True))
        cache_status = pool.submit(check_cache)
        broker_status = pool.submit(check_broker)
        report = {
            "contexts": _per_context(databases),
            "databases": databases,
            "cache": cache_status.result(),
            "broker": broker_status.result(),
        }
    # A replica that does not answer is reported, but reads fall back to its primary
    # (egov.db.read_alias_for): the instance still serves, so it stays ready.
    primaries = [status for alias, status in databases.items() if not is_replica(alias)]
    checked = [*primaries, report["cache"], report["broker"]]
    report["status"] = UNREACHABLE if UNREACHABLE in checked else OK
    return report


def _per_context(databases: dict[str, str]) -> dict[str, str]:
    """A context is ready when both its write and its read database are."""
    statuses = {}
    for context in settings.CONTEXTS:
        both = (databases.get(context), databases.get(read_alias(context)))
        statuses[context] = OK if both == (OK, OK) else UNREACHABLE
    return statuses


@never_cache
@require_GET
def readiness(request):
    report = readiness_report()
    if report["status"] == OK:
        return JsonResponse(report)
    response = JsonResponse(report, status=503, headers={"Retry-After": str(retry_after_seconds())})
    response._has_been_logged = True  # each failing check logged its own warning line
    return response
