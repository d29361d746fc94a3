"""Beat job: seal the chain head every AUDIT_SEAL_MINUTES even when few events arrive."""

from celery import shared_task
from django.conf import settings

from apps.audit.models import KepalaRantai
from apps.audit.projections import seal
from egov.db import atomic

ALIAS = "audit_read"


def jadwal() -> dict:
    """Beat: seal the chain head every AUDIT_SEAL_MINUTES (from settings)."""
    return {"audit-segel": {"task": "audit_segel", "schedule": settings.AUDIT_SEAL_MINUTES * 60}}


@shared_task(name="audit_segel", ignore_result=True)
def audit_segel() -> int:
    with atomic(ALIAS):
        head = KepalaRantai.objects.using(ALIAS).select_for_update().filter(id=1).first()
        sealed = seal(ALIAS, head) if head else None
    return sealed.nomor if sealed else 0
