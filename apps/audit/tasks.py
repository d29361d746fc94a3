"""Beat job: seal the chain head every AUDIT_SEAL_MINUTES even when few events arrive."""

import uuid

from celery import shared_task
from django.conf import settings

from apps.audit.models import KepalaRantai
from apps.audit.projections import seal
from egov.db import atomic
from egov.eventstore.domain import EventMetadata

ALIAS = "audit_read"
SYSTEM = EventMetadata(actor="layanan-notifikasi", source="worker")


def jadwal() -> dict:
    """Beat: seal the chain head every AUDIT_SEAL_MINUTES (from settings)."""
    return {"audit-segel": {"task": "audit_segel", "schedule": settings.AUDIT_SEAL_MINUTES * 60}}


@shared_task(name="audit_segel", ignore_result=True)
def audit_segel() -> int:
    with atomic(ALIAS):
        head = KepalaRantai.objects.using(ALIAS).select_for_update().filter(id=1).first()
        sealed = seal(ALIAS, head) if head else None
    return sealed.nomor if sealed else 0


@shared_task(name="audit_kirim_notifikasi", bind=True, ignore_result=True, max_retries=5)
def audit_kirim_notifikasi(self, notifikasi_id: str) -> str:
    """Send; on a temporary failure retry with exponential backoff (2, 4, 8 ... times
    NOTIFY_RETRY_BASE_SECONDS seconds); after the last retry the failure becomes permanent."""
    from apps.audit import commands

    pid = uuid.UUID(notifikasi_id)
    try:
        return commands.notifikasi_kirim(notifikasi_id=pid, metadata=SYSTEM)
    except commands.TemporaryFailure as error:
        if self.request.retries >= self.max_retries:
            commands.notifikasi_gagal_permanen(
                notifikasi_id=pid, metadata=SYSTEM, alasan=f"batas percobaan: {error}"
            )
            return "failed"
        countdown = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (self.request.retries + 1)
        raise self.retry(exc=error, countdown=countdown) from error
