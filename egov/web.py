"""What the three front doors (portal, admin, API) share: metadata for the events a request
causes. Business logic never lives here."""

import uuid

from egov.eventstore.domain import EventMetadata


def metadata_from_request(request, *, source: str, reason: str = "") -> EventMetadata:
    """Who (the signed-in user), why (``reason``) and the ids tying a request to its events.
    ``X-Correlation-ID`` lets an integrator tie several calls together."""
    user = getattr(request, "user", None)
    actor = user.get_username() if user is not None and user.is_authenticated else "anonymous"
    is_officer = bool(user and user.is_authenticated and user.is_staff)
    request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
    return EventMetadata(
        actor=actor,
        source=source,
        correlation_id=request.headers.get("X-Correlation-ID") or request_id,
        officer_id=actor if is_officer else "",
        request_id=request_id,
        reason=reason,
    )
