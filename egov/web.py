"""What the three front doors (portal, admin, API) share: the principal and the metadata for
the events a request causes. Business logic never lives here."""

import uuid

from egov.eventstore.domain import EventMetadata
from egov.portal.accounts import principal_of


def metadata_from_request(request, *, source: str, reason: str = "") -> EventMetadata:
    """Who (the request's principal), why (``reason``) and the ids tying a request to its
    events. ``X-Correlation-ID`` lets an integrator tie several calls together."""
    request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
    return principal_of(request).metadata(
        source=source,
        correlation_id=request.headers.get("X-Correlation-ID") or request_id,
        request_id=request_id,
        reason=reason,
    )
