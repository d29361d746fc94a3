"""Celery shells around the projection runner. Thin: the logic is in ``projections``."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from egov.eventstore import coalesce, projections

logger = logging.getLogger(__name__)


# A run that found committed events still hidden by the feed's horizon (another transaction on
# the server was open when it read) runs again after these delays, then leaves the rest to the
# beat sweep: without it those events waited for the next commit or sweep (up to
# PROJECTION_SWEEP_SECONDS; bench/projection_lag.py).
HELD_BACK_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)


def _in_process() -> bool:
    """Tasks run eagerly (embedded mode): a run asked for now would not wait for anything."""
    return bool(run_projector_task.app.conf.task_always_eager)


@shared_task(name="eventstore.run_projector", ignore_result=True)
def run_projector_task(name: str, attempt: int = 0) -> int:
    coalesce.release(name)  # before reading the feed: a commit from now on asks again
    projector = projections.get_projector(name)
    applied = projections.run_projector(projector)
    if (
        attempt < len(HELD_BACK_DELAYS)
        and not _in_process()
        and projections.held_back(projector)
        and coalesce.claim(name)
    ):
        run_projector_task.apply_async(
            (name,), {"attempt": attempt + 1}, countdown=HELD_BACK_DELAYS[attempt]
        )
    return applied


@shared_task(name=projections.FAN_OUT_TASK, ignore_result=True)
def dispatch_projectors_task(context: str) -> None:
    """Events committed on ``context``: a run of each projector reading it, one task per
    projector (on its own context's queue), sent from here rather than from the request."""
    projections.dispatch_projectors(context)


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
