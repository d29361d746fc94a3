"""Read side only: plain data from ``notifikasi_read`` for the portal and the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from apps.notifikasi.models import NotifikasiView


@dataclass(frozen=True)
class NotifikasiWarga:
    jenis: str
    status: str
    dibuat_pada: datetime


def notifikasi_warga(subject_id: str) -> list[NotifikasiWarga]:
    rows = NotifikasiView.objects.filter(subject_id=subject_id).order_by("-dibuat_pada")[:50]
    return [NotifikasiWarga(r.jenis, r.status, r.dibuat_pada) for r in rows]
