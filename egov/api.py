"""DRF pieces every context's API uses: error mapping and ``Idempotency-Key`` handling."""

import hashlib
import json
import unicodedata
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import connections
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egov.db import atomic, run_statement
from egov.eventstore.domain import DomainError, InvalidInput
from egov.eventstore.store import ConcurrencyError
from egov.portal.accounts import principal_of
from egov.principals import AccessDenied, NotVisible

IDEMPOTENCY_HEADER = "Idempotency-Key"
_idempotency_models: dict[str, type] = {}


def register_idempotency_model(context: str, model: type) -> None:
    """Each context keeps its idempotency records on its write alias (with its events)."""
    _idempotency_models[context] = model


def idempotency_model(context: str) -> type:
    return _idempotency_models[context]


# The idempotency records' ``key`` column is varchar(200): a longer key would be a 500.
IDEMPOTENCY_KEY_MAX_LENGTH = 200
MSG_IDEMPOTENCY_KEY_INVALID = (
    "Idempotency-Key harus 1 sampai 200 karakter yang dapat dicetak, tanpa karakter kontrol."
)


class InvalidIdempotencyKey(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_invalid"


def validate_idempotency_key(key: str) -> None:
    """Refuse (400 ``idempotency_key_invalid``) a key the records cannot store as given:
    longer than the column, or holding control characters (NUL, newline, ...)."""
    too_long = len(key) > IDEMPOTENCY_KEY_MAX_LENGTH
    if too_long or any(unicodedata.category(char) == "Cc" for char in key):
        raise InvalidIdempotencyKey(_(MSG_IDEMPOTENCY_KEY_INVALID))


def exception_handler(exc, context):
    """Business refusals become 400/403/404/409 with a stable code and a message for people."""
    if isinstance(exc, AccessDenied):
        anonymous = not principal_of(context["request"]).is_authenticated
        code = status.HTTP_401_UNAUTHORIZED if anonymous else status.HTTP_403_FORBIDDEN
        return Response({"code": exc.code, "detail": _(exc.message)}, status=code)
    if isinstance(exc, NotVisible):
        return Response({"code": exc.code, "detail": _(exc.message)}, status=404)
    if isinstance(exc, InvalidInput):  # messages are Indonesian msgids: translated if asked
        # 400, or the refusal's own status (an upload too large: 413, of a wrong type: 415)
        code = getattr(exc, "status_code", status.HTTP_400_BAD_REQUEST)
        return Response({"code": exc.code, "detail": _(exc.message)}, status=code)
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": _(exc.message)}, status=409)
    if isinstance(exc, ConcurrencyError):
        detail = _("Data telah diubah oleh permintaan lain; muat ulang dan coba lagi.")
        return Response({"code": "concurrency_conflict", "detail": detail}, status=409)
    return _with_code(drf_exception_handler(exc, context), exc)


def _with_code(response: Response | None, exc: Exception) -> Response | None:
    """Every DRF refusal with one message gets its stable code too (``not_found``,
    ``throttled``, ``parse_error``, ``idempotency_key_invalid``, ...), like the business ones."""
    code = _code_of(exc)
    if response is not None and code and isinstance(response.data, dict):
        response.data.setdefault("code", code)
    return response  # None: not a refusal but a server error, answered by handler500


def _code_of(exc: Exception) -> str | None:
    if isinstance(exc, Http404):
        return "not_found"
    if isinstance(exc, DjangoPermissionDenied):
        return "permission_denied"
    codes = exc.get_codes() if isinstance(exc, APIException) else None
    return codes if isinstance(codes, str) else None  # a field -> messages dict has its own


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str).encode()
    return hashlib.sha256(request.path.encode() + b"\n" + body).hexdigest()


class _Replay(Exception):
    """Another request with this Idempotency-Key committed first: answer with its result."""


def idempotent(request, *, model: type, alias: str, handle: Callable[[], Response]) -> Response:
    """Run ``handle`` once per (principal, route, Idempotency-Key): a retry gets the stored
    first answer and nothing new is appended. The key is claimed (inserted) *before* the
    command runs, in the same transaction as the command's events: a concurrent request with
    the same key blocks on the unique index until the first commits, then replays its answer
    (or, if the first was refused and rolled back, runs itself)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if not key:
        return handle()
    validate_idempotency_key(key)  # also checked by middleware; the column holds 200 chars
    principal_id, scope, fingerprint = principal_of(request).id, request.path, _fingerprint(request)
    try:
        return _run_once(model, alias, handle, (principal_id, scope, key, fingerprint))
    except _Replay:
        first = model.objects.using(alias).get(user_id=principal_id, scope=scope, key=key)
    if first.fingerprint != fingerprint:
        detail = _("Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.")
        return Response(
            {"code": "idempotency_key_reused", "detail": detail},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(first.body, status=first.status_code, headers={"Idempotent-Replayed": "true"})


def _run_once(model, alias, handle, claim: tuple) -> Response:
    """Claim the key with one ``INSERT ... ON CONFLICT DO NOTHING`` (no look-up first, no
    savepoint: bench/api_throughput.py counts statements per request), run the command, store
    its answer; a key already claimed raises ``_Replay`` and the transaction rolls back."""
    table = connections[alias].ops.quote_name(model._meta.db_table)  # a model's, not input
    created_at = connections[alias].ops.adapt_datetimefield_value(timezone.now())
    with atomic(alias):
        claimed = run_statement(
            alias,
            f"INSERT INTO {table} (user_id, scope, key, fingerprint, status_code, body,"  # noqa: S608
            " created_at) VALUES (%s, %s, %s, %s, 0, '{}', %s)"
            " ON CONFLICT (user_id, scope, key) DO NOTHING RETURNING id",
            (*claim, created_at),
            prepare=True,
        )
        if not claimed:
            raise _Replay
        response = handle()
        model.objects.using(alias).filter(pk=claimed[0][0]).update(
            status_code=response.status_code, body=response.data
        )
    return response


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf`` (the type a document endpoint
    declares) without a 406. The document itself is returned as a file response; a refusal
    (404, 403) on such a request is still JSON, and says so in its Content-Type."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, ensure_ascii=False).encode()
