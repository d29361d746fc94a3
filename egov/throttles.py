"""DRF throttles that fail open: if the shared cache (Redis) is down, a request is served
unthrottled (one warning a minute) rather than answered with a 500. Throttling protects the
service; it must not become the outage."""

import logging
import time

from rest_framework import throttling

logger = logging.getLogger(__name__)
_warned_at = 0.0


def _allow_when_cache_fails(throttle_class):
    class FailOpen(throttle_class):
        def allow_request(self, request, view):
            global _warned_at
            try:
                return super().allow_request(request, view)
            except Exception as error:  # any cache backend error: connection, timeout, ...
                if time.monotonic() - _warned_at > 60:
                    _warned_at = time.monotonic()
                    logger.warning("throttle cache unavailable, not throttling: %s", error)
                return True

    FailOpen.__name__ = FailOpen.__qualname__ = throttle_class.__name__
    return FailOpen


AnonRateThrottle = _allow_when_cache_fails(throttling.AnonRateThrottle)
UserRateThrottle = _allow_when_cache_fails(throttling.UserRateThrottle)
ScopedRateThrottle = _allow_when_cache_fails(throttling.ScopedRateThrottle)
