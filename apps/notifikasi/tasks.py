"""Celery shell around sending: retries with exponential backoff, then a permanent failure."""

import uuid

from celery import shared_task
from django.conf import settings

from apps.notifikasi import commands
from egov.principals import system

SYSTEM = system("layanan-notifikasi").metadata(source="worker")


def _kirim(task, notifikasi_id: str) -> str:
    pid = uuid.UUID(notifikasi_id)
    try:
        return commands.notifikasi_kirim(notifikasi_id=pid, metadata=SYSTEM)
    except commands.TemporaryFailure as error:
        if task.request.retries >= task.max_retries:
            commands.notifikasi_gagal_permanen(
                notifikasi_id=pid, metadata=SYSTEM, alasan=f"batas percobaan: {error}"
            )
            return "failed"
        countdown = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (task.request.retries + 1)
        raise task.retry(exc=error, countdown=countdown) from error


@shared_task(name="notifikasi_kirim", bind=True, ignore_result=True, max_retries=5)
def notifikasi_kirim(self, notifikasi_id: str) -> str:
    """Send; on a temporary failure retry with exponential backoff (2, 4, 8 ... times
    NOTIFY_RETRY_BASE_SECONDS seconds); after the last retry the failure becomes permanent."""
    return _kirim(self, notifikasi_id)


@shared_task(name="audit_kirim_notifikasi", bind=True, ignore_result=True, max_retries=5)
def audit_kirim_notifikasi(self, notifikasi_id: str) -> str:
    """The task's name before notifications left the audit context: retries still queued
    under it at the upgrade are carried out (after ``pindah_notifikasi`` copied the streams)."""
    return _kirim(self, notifikasi_id)
