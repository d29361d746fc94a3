"""``/metrics`` for Prometheus: not public. Allowed from the networks in
``METRICS_ALLOWED_NETWORKS`` (the scraper's addresses) or with ``Authorization: Bearer
<METRICS_TOKEN>``; everyone else gets 403. Both unset (the default): refused to all."""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from egov.observability import metrics


def _from_allowed_network(request) -> bool:
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def _has_token(request) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given, token)


@require_GET
def metrics_view(request):
    # REMOTE_ADDR, never X-Forwarded-For: a client could claim any address. Behind a proxy,
    # scrape the instances directly or use the token.
    if not (_from_allowed_network(request) or _has_token(request)):
        return HttpResponseForbidden("metrics: not allowed\n", content_type="text/plain")
    return HttpResponse(generate_latest(metrics.registry()), content_type=CONTENT_TYPE_LATEST)
