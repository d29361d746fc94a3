"""At most one queued run per projector.

Every commit asks for a run of each projector reading its feed; one run catches up everything
committed before it starts, so a second request made while the first still waits in the
queue adds nothing but work (bench/pajak_realtime.py: 60 tasks/s at 10 payments/s, 1,001
left queued). A request first claims ``projector-queued:<name>`` in the shared cache; the run
releases it as it starts, before reading the feed, so a commit made after that asks again.

Only with a cache that web and worker processes share (``PROJECTION_COALESCE``, on when
``CACHE_URL`` is not process memory). A claim lasts ``PROJECTION_COALESCE_SECONDS`` at most:
a lost task delays the next run by that much, and the beat sweep catches up in any case. A
cache error never blocks a run: the request is sent as if nothing were queued.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(name: str) -> str:
    return f"projector-queued:{name}"


def claim(name: str) -> bool:
    """True when a run of ``name`` should be sent (none is queued and not started)."""
    if not settings.PROJECTION_COALESCE:
        return True
    try:
        return bool(cache.add(_key(name), 1, timeout=settings.PROJECTION_COALESCE_SECONDS))
    except Exception:  # the cache is an optimisation: without it, send
        logger.warning("projector %s: cache unavailable, run requested anyway", name)
        return True


def claim_each(names: list[str]) -> list[str]:
    """The names of ``names`` whose run should be sent, each claimed. One ``get_many`` first
    skips those already queued, so a busy context (every projector's run still waiting) costs
    one cache round trip per commit instead of one per projector (bench/api_throughput.py)."""
    if not settings.PROJECTION_COALESCE:
        return list(names)
    try:
        queued = cache.get_many([_key(name) for name in names])
    except Exception:  # the cache is an optimisation: without it, ask one by one
        queued = {}
    return [name for name in names if _key(name) not in queued and claim(name)]


def release(name: str) -> None:
    """The run of ``name`` starts (or could not be sent): the next commit asks again."""
    if not settings.PROJECTION_COALESCE:
        return
    try:
        cache.delete(_key(name))
    except Exception:  # the claim expires by itself
        logger.warning("projector %s: cache unavailable, claim left to expire", name)
