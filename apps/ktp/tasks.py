"""Celery shells around the ktp use cases (background verification and printing)."""

import uuid

from celery import shared_task

from apps.ktp import commands
from egov.principals import system

SYSTEM = system("sistem-dukcapil").metadata(source="worker")


@shared_task(name="ktp_verifikasi", ignore_result=True)
def ktp_verifikasi(permohonan_id: str) -> str:
    return commands.ktp_periksa_pusat(permohonan_id=uuid.UUID(permohonan_id), metadata=SYSTEM)


@shared_task(name="ktp_cetak", ignore_result=True)
def ktp_cetak(permohonan_id: str) -> bool:
    return commands.ktp_cetak(permohonan_id=uuid.UUID(permohonan_id), metadata=SYSTEM)


@shared_task(name="ktp_cetak_antrean", ignore_result=True)
def ktp_cetak_antrean() -> int:
    return sum(
        commands.ktp_cetak(permohonan_id=pid, metadata=SYSTEM) for pid in commands.antrean_cetak()
    )


@shared_task(name="ktp_sapu", ignore_result=True)
def ktp_sapu() -> int:
    """Beat: redo what a lost message left behind (verification, then printing)."""
    checked = [
        commands.ktp_periksa_pusat(permohonan_id=pid, metadata=SYSTEM)
        for pid in commands.antrean_verifikasi()
    ]
    return len(checked) + ktp_cetak_antrean()
