"""The OpenAPI schema class of every API operation: it documents the error answers once, for
all operations, beside the success answers each view declares.

Rules (read from the view and the operation drf-spectacular has built, never per view):

- **400** ``ValidationError`` (field -> messages) or ``Error`` ``{code, detail}`` (a command's
  ``InvalidInput``, a malformed body): on every unsafe method (POST, PUT, PATCH, DELETE), and
  on a safe method only when the operation takes query parameters (filters, page).
- **401** ``Error``: where the view authenticates at all (it has authentication classes): no
  or bad credentials. Even an ``AllowAny`` view refuses a bad token.
- **403** ``Error``: where a permission other than ``AllowAny`` is checked (role, ownership),
  or where session authentication needs a CSRF token (unsafe methods).
  So a public operation (``AllowAny`` and no authentication, e.g.
  ``/api/v1/izin/verifikasi/{kode}/``, ``/api/v1/audit/kunci-publik/``) has neither.
- **404** ``Error``: where the path has a parameter (the thing named does not exist), and on a
  paginated list (a page out of range). Unknown URLs are not operations.
- **409** ``Error`` ``{code, detail}``: on unsafe methods: refused by a business rule or the
  current state, or a concurrent change (``concurrency_conflict``).
- **413** / **415** ``Error``: on unsafe methods: a body too large, or of a media type
  (or a malformed multipart body) the operation cannot parse.
- **422** ``Error`` (``idempotency_key_reused``): on unsafe methods, which accept an optional
  ``Idempotency-Key`` header (documented here as a shared parameter).
- **429** ``Error`` with ``Retry-After`` (seconds): on every operation (throttling).
- **503** ``Error`` with ``Retry-After`` (seconds): on every operation (a database or another
  dependency is unavailable).

A status a view already documents itself is left as the view wrote it. Error bodies are JSON
whatever the success media type (e.g. a PDF download still answers errors as JSON).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny

JSON = "application/json"
IDEMPOTENCY_HEADER = "Idempotency-Key"  # as egov.api reads it (not imported: no cycle)

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "A refusal: ``detail`` is a message for people (translated per Accept-Language), "
        "``code`` a stable machine code (absent on generic authentication, permission, "
        "not-found and throttling answers)."
    ),
    "properties": {
        "code": {"type": "string", "example": "status_tidak_sesuai"},
        "detail": {"type": "string"},
    },
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Invalid input: each field (or ``non_field_errors``) with its messages; a nested "
        "object for a nested field."
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
        ]
    },
    "minProperties": 1,
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    }
}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": "The authentication scheme the API expects.",
        "schema": {"type": "string"},
    }
}
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "description": (
        "Makes a retry safe: the first answer to this key is stored and returned again to a "
        "retry of the same request (``Idempotent-Replayed: true``); reusing the key for a "
        "different request is refused with 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


ERROR = _ref("schemas", "Error")

# name -> (status, response component); the components are registered once per schema.
RESPONSES = {
    "BadRequest": (
        "400",
        {
            "description": "Invalid input: field -> messages, or {code, detail}.",
            "content": {JSON: {"schema": {"oneOf": [_ref("schemas", "ValidationError"), ERROR]}}},
        },
    ),
    "Unauthorized": (
        "401",
        {
            "description": "Not authenticated: no or bad credentials.",
            "headers": WWW_AUTHENTICATE,
            "content": {JSON: {"schema": ERROR}},
        },
    ),
    "Forbidden": (
        "403",
        {
            "description": "Authenticated but not allowed (role, ownership or CSRF).",
            "content": {JSON: {"schema": ERROR}},
        },
    ),
    "NotFound": (
        "404",
        {"description": "Not found.", "content": {JSON: {"schema": ERROR}}},
    ),
    "Conflict": (
        "409",
        {
            "description": "Refused by a business rule or the current state: {code, detail}.",
            "content": {JSON: {"schema": ERROR}},
        },
    ),
    "PayloadTooLarge": (
        "413",
        {"description": "The request body is too large.", "content": {JSON: {"schema": ERROR}}},
    ),
    "UnsupportedMediaType": (
        "415",
        {
            "description": "The body's media type is not accepted (or it cannot be parsed).",
            "content": {JSON: {"schema": ERROR}},
        },
    ),
    "IdempotencyKeyReused": (
        "422",
        {
            "description": "The Idempotency-Key was already used for a different request.",
            "content": {JSON: {"schema": ERROR}},
        },
    ),
    "TooManyRequests": (
        "429",
        {
            "description": "Throttled: try again after Retry-After seconds.",
            "headers": RETRY_AFTER,
            "content": {JSON: {"schema": ERROR}},
        },
    ),
    "ServiceUnavailable": (
        "503",
        {
            "description": "Temporarily unavailable: try again after Retry-After seconds.",
            "headers": RETRY_AFTER,
            "content": {JSON: {"schema": ERROR}},
        },
    ),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's AutoSchema plus the error answers of the module docstring."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._register_components()
        unsafe = self.method not in SAFE_METHODS
        if unsafe:
            operation.setdefault("parameters", []).append(_ref("parameters", "IdempotencyKey"))
        responses = operation["responses"]
        for name in self._error_responses(operation, unsafe):
            status = RESPONSES[name][0]
            responses.setdefault(status, _ref("responses", name))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_responses(self, operation: dict, unsafe: bool) -> list[str]:
        parameters = [p for p in operation.get("parameters", []) if "in" in p]
        has_query = any(p["in"] == "query" for p in parameters)
        has_path_parameter = any(p["in"] == "path" for p in parameters)
        authenticators = self.view.get_authenticators()
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        csrf = unsafe and any(isinstance(a, SessionAuthentication) for a in authenticators)
        paginated = self._is_list_view() and self._get_paginator() is not None

        names = []
        if unsafe or has_query:
            names.append("BadRequest")
        if authenticators:
            names.append("Unauthorized")
        if not public or csrf:
            names.append("Forbidden")
        if has_path_parameter or paginated:
            names.append("NotFound")
        if unsafe:
            names += ["Conflict", "PayloadTooLarge", "UnsupportedMediaType", "IdempotencyKeyReused"]
        return [*names, "TooManyRequests", "ServiceUnavailable"]

    def _register_components(self) -> None:
        components = [
            (ResolvedComponent.SCHEMA, "Error", ERROR_SCHEMA),
            (ResolvedComponent.SCHEMA, "ValidationError", VALIDATION_ERROR_SCHEMA),
            (ResolvedComponent.PARAMETER, "IdempotencyKey", IDEMPOTENCY_PARAMETER),
            *((ResolvedComponent.RESPONSE, name, body) for name, (_, body) in RESPONSES.items()),
        ]
        for kind, name, schema in components:
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=kind, schema=schema, object=f"egov.{name}")
            )
