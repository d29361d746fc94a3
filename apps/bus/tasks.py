"""Celery shells of the bus context."""

from celery import shared_task

from apps.bus import parkir


@shared_task(name="bus_parkir_kedaluwarsa", ignore_result=True)
def bus_parkir_kedaluwarsa() -> int:
    """Beat: shred the payload of parked messages left unsettled past the retention."""
    return parkir.kedaluwarsakan()
