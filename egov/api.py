"""DRF pieces every context's API uses: error mapping and ``Idempotency-Key`` handling."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egov.db import atomic
from egov.eventstore.domain import DomainError, InvalidInput
from egov.eventstore.store import ConcurrencyError

IDEMPOTENCY_HEADER = "Idempotency-Key"


def exception_handler(exc, context):
    """Business refusals become 400/409 with a stable code and a message for people."""
    if isinstance(exc, InvalidInput):  # messages are Indonesian msgids: translated if asked
        return Response({"code": exc.code, "detail": _(exc.message)}, status=400)
    if isinstance(exc, DomainError):
        return Response({"code": exc.code, "detail": _(exc.message)}, status=409)
    if isinstance(exc, ConcurrencyError):
        detail = _("Data telah diubah oleh permintaan lain; muat ulang dan coba lagi.")
        return Response({"code": "concurrency_conflict", "detail": detail}, status=409)
    return drf_exception_handler(exc, context)


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
