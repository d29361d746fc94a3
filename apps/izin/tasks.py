"""Celery shells of the izin context. Idempotent: a redelivered or duplicated task finds the
work already done and changes nothing."""

import uuid

from celery import shared_task

from apps.izin import commands, dokumen
from egov.eventstore.domain import EventMetadata

SISTEM_METADATA = {"actor": "sistem-oss", "source": "worker"}


@shared_task(name="izin_kirim", ignore_result=True)
def izin_kirim(permohonan_id: str) -> bool:
    """Produce the permit PDF and record ``IzinDikirim`` (after approval)."""
    pid = uuid.UUID(permohonan_id)
    if not commands.perlu_dikirim(pid):
        return False
    data = dokumen.data_dokumen(pid)
    kode = dokumen.kode_verifikasi_baru()
    return commands.izin_kirim(
        permohonan_id=pid,
        pdf=dokumen.buat_pdf(data, kode),
        kode_verifikasi=kode,
        metadata=EventMetadata(**SISTEM_METADATA),
    )


@shared_task(name="izin_periksa_tenggat", ignore_result=True)
def izin_periksa_tenggat() -> dict:
    """Beat job: fiktif positif for missed deadlines (PP 28/2025); also resumes held
    applications whose identity is known and delivers documents a lost message left behind."""
    metadata = EventMetadata(**SISTEM_METADATA)
    approved = commands.izin_periksa_tenggat(metadata=metadata)
    resumed = commands.izin_lanjutkan_tertahan(metadata=metadata)
    delivered = [izin_kirim(str(pid)) for pid in commands.perlu_dikirim()]
    return {"fiktif_positif": len(approved), "dilanjutkan": len(resumed), "dikirim": sum(delivered)}
