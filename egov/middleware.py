"""Request guards and error answers: bad input never gets a 5xx, an outage gets a clear 503.

- ``RequestGuardMiddleware`` refuses, before any view runs, what a view could only turn into
  a 500: a NUL character in the path or the query (PostgreSQL cannot store or compare it),
  and under ``/api/`` a body declared larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (DRF reads
  JSON bodies without Django's limit) and an ``Idempotency-Key`` the records cannot store.
- ``DatabaseUnavailableMiddleware`` answers 503 with ``Retry-After`` when a database cannot
  be reached, logged as one warning line instead of a traceback.
- ``bad_request``, ``permission_denied``, ``page_not_found`` and ``server_error`` are the
  project's handler400/403/404/500 (egov/urls.py): JSON ``{code, detail}`` under ``/api/``,
  Django's own pages elsewhere.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import APIException

from egov.api import IDEMPOTENCY_HEADER, validate_idempotency_key
from egov.parsers import body_too_large

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

MSG_NUL = gettext_noop("Alamat atau parameter permintaan berisi karakter NUL yang tidak sah.")
MSG_NOT_FOUND = gettext_noop("Alamat tidak ditemukan.")
MSG_BAD_REQUEST = gettext_noop("Permintaan tidak sah.")
MSG_FORBIDDEN = gettext_noop("Anda tidak berhak melakukan tindakan ini.")
MSG_SERVER_ERROR = gettext_noop("Terjadi kesalahan pada server. Silakan coba lagi nanti.")
MSG_UNAVAILABLE = gettext_noop(
    "Layanan sedang tidak tersedia karena gangguan basis data. Silakan coba lagi nanti."
)


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def json_error(status: int, code: str, detail: str, headers: dict | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status, headers=headers)


def _api_exception_response(exc: APIException) -> JsonResponse:
    return json_error(exc.status_code, exc.get_codes(), str(exc.detail))


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


def _declared_body_too_large(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django treats an unreadable length as no body
    return limit is not None and length > limit


class RequestGuardMiddleware:
    """Refuse input that no view can handle, once for every request (portal and API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def refusal(self, request) -> HttpResponse | None:
        if _has_nul(request):
            if is_api_request(request):
                return json_error(400, "nul_character", _(MSG_NUL))
            return HttpResponse(_(MSG_NUL), status=400, content_type="text/plain; charset=utf-8")
        if not is_api_request(request):
            return None
        if _declared_body_too_large(request):
            return _api_exception_response(body_too_large())
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key and request.method in UNSAFE_METHODS:
            try:
                validate_idempotency_key(key)
            except APIException as exc:
                return _api_exception_response(exc)
        return None


# --- A database that cannot be reached --------------------------------------------------


def retry_after_seconds() -> int:
    return int(getattr(settings, "SERVICE_UNAVAILABLE_RETRY_AFTER", 30))


def service_unavailable(request) -> HttpResponse:
    """503 with ``Retry-After``: JSON under /api/, a small page elsewhere (portal, admin). The
    page is rendered without the request, so no context processor touches a database."""
    retry_after = str(retry_after_seconds())
    if is_api_request(request):
        headers = {"Retry-After": retry_after}
        return json_error(503, "layanan_tidak_tersedia", _(MSG_UNAVAILABLE), headers)
    page = render_to_string("503.html", {"retry_after": retry_after, "lang": get_language()})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = retry_after
    return response


class DatabaseUnavailableMiddleware:
    """A view that meets an unreachable database (connection refused, timed out, dropped)
    answers 503; one warning line is logged, not a traceback: the outage is the operator's
    news, not a bug."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        first_line = (str(exception).strip().splitlines() or [""])[0]
        logger.warning(
            "database unavailable, answering 503: %s %s: %s: %s",
            request.method,
            request.path,
            type(exception).__name__,
            first_line,
        )
        response = service_unavailable(request)
        response._has_been_logged = True  # Django would log a second line ("Service Unavailable")
        return response


# --- handler400/403/404/500 -------------------------------------------------------------


def bad_request(request, exception):
    if is_api_request(request):
        return json_error(400, "bad_request", _(MSG_BAD_REQUEST))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return json_error(403, "permission_denied", _(MSG_FORBIDDEN))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """Under /api/ also answers a path that no route matches, e.g. a malformed UUID."""
    if is_api_request(request):
        return json_error(404, "not_found", _(MSG_NOT_FOUND))
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The error is logged by Django (with its traceback) before this runs. A database
    outage met outside a view (in a middleware) still gets its 503."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    if is_api_request(request):
        return json_error(500, "server_error", _(MSG_SERVER_ERROR))
    return defaults.server_error(request)
