"""Celery shells of the pajak context: the beat jobs. Idempotent: a job run twice, or two
workers running it at once, changes nothing more than one run (each decision is one stream's
transaction; a loser of a race is skipped and decided by the next run)."""

from celery import shared_task

from apps.pajak import commands
from egov.eventstore.domain import EventMetadata

SISTEM_METADATA = {"actor": "sistem-djp", "source": "worker"}


def _metadata() -> EventMetadata:
    return EventMetadata(**SISTEM_METADATA)


@shared_task(name="pajak_kedaluwarsakan_billing", ignore_result=True)
def pajak_kedaluwarsakan_billing() -> int:
    """Unpaid billing codes past their validity become expired."""
    return len(commands.pajak_kedaluwarsakan_billing(metadata=_metadata()))


@shared_task(name="pajak_periksa_tenggat_lapor", ignore_result=True)
def pajak_periksa_tenggat_lapor() -> int:
    """Late-filing fines for returns not filed by their deadline (UU KUP Pasal 7)."""
    return len(commands.pajak_periksa_tenggat_lapor(metadata=_metadata()))


@shared_task(name="pajak_timbulkan_kewajiban", ignore_result=True)
def pajak_timbulkan_kewajiban() -> int:
    """Obligations of the month and the tax year just ended."""
    return len(commands.pajak_timbulkan_kewajiban_berkala(metadata=_metadata()))
