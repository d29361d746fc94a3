"""DRF pieces every context's API uses: error mapping and ``Idempotency-Key`` handling."""

import hashlib
import json
import unicodedata
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egov.db import atomic
from egov.eventstore.domain import DomainError, InvalidInput
from egov.eventstore.store import ConcurrencyError

IDEMPOTENCY_HEADER = "Idempotency-Key"
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
    """Business refusals become 400/409 with a stable code and a message for people."""
    if isinstance(exc, InvalidInput):  # messages are Indonesian msgids: translated if asked
        return Response({"code": exc.code, "detail": _(exc.message)}, status=400)
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


def idempotent(request, *, model: type, alias: str, handle: Callable[[], Response]) -> Response:
    """Run ``handle`` once per (user, route, Idempotency-Key): the stored first answer is
    returned to a retry and nothing new is appended. The record is written in the same
    transaction as the command's events (same alias), so both commit or neither does."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if not key:
        return handle()
    scope, user_id, fingerprint = request.path, str(request.user.pk), _fingerprint(request)
    records = model.objects.using(alias)
    first = records.filter(user_id=user_id, scope=scope, key=key).first()
    if first is None:
        try:
            with atomic(alias):
                response = handle()
                records.create(
                    key=key,
                    user_id=user_id,
                    scope=scope,
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    body=response.data,
                )
            return response
        except IntegrityError:  # a concurrent retry with the same key committed first
            first = records.get(user_id=user_id, scope=scope, key=key)
    if first.fingerprint != fingerprint:
        detail = _("Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.")
        return Response(
            {"code": "idempotency_key_reused", "detail": detail},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(first.body, status=first.status_code, headers={"Idempotent-Replayed": "true"})
