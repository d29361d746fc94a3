"""Celery shells around the projection runner. Thin: the logic is in ``projections``."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from egov.eventstore import coalesce, projections

logger = logging.getLogger(__name__)


@shared_task(name="eventstore.run_projector", ignore_result=True)
def run_projector_task(name: str) -> int:
    coalesce.release(name)  # before reading the feed: a commit from now on asks again
    return projections.run_projector(projections.get_projector(name))


@shared_task(name="eventstore.sweep_projections", ignore_result=True)
def sweep_projections() -> int:
    """Beat job: catch up anything a lost message (or a broker outage) left behind. A context
    whose database is down is skipped (logged) so that the others still catch up."""
    applied = 0
    for projector in projections.all_projectors():
        try:
            applied += projections.run_projector(projector)
        except (OperationalError, InterfaceError) as exc:
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            logger.warning("sweep: projector %s skipped: %s", projector.name, first_line)
    return applied
