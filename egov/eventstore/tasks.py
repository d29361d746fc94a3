"""Celery shells around the projection runner. Thin: the logic is in ``projections``."""

from celery import shared_task

from egov.eventstore import projections


@shared_task(name="eventstore.run_projector", ignore_result=True)
def run_projector_task(name: str) -> int:
    return projections.run_projector(projections.get_projector(name))


@shared_task(name="eventstore.sweep_projections", ignore_result=True)
def sweep_projections() -> int:
    """Beat job: catch up anything a lost message left behind."""
    return sum(projections.run_projector(p) for p in projections.all_projectors())
