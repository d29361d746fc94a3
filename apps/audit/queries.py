"""Read side of the audit context: plain data for the portal, the admin and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from apps.audit.models import AksesData, CatatanAudit


@dataclass(frozen=True)
class Akses:
    konteks: str
    pintu: str
    tujuan: str
    pengakses: str
    pada: datetime


def siapa_melihat(subject_id: str) -> list[Akses]:
    rows = AksesData.objects.filter(subject_id=subject_id).order_by("-pada")[:100]
    return [Akses(r.konteks, r.pintu, r.tujuan, r.pengakses, r.pada) for r in rows]


def cari_catatan(
    *,
    subject_id: str = "",
    aktor: str = "",
    konteks: str = "",
    event_type: str = "",
    dari=None,
    sampai=None,
):
    rows = CatatanAudit.objects.order_by("nomor")
    filters = {
        "subject_id": subject_id,
        "aktor": aktor,
        "konteks": konteks,
        "event_type": event_type,
        "recorded_at__date__gte": dari,
        "recorded_at__date__lte": sampai,
    }
    return rows.filter(**{k: v for k, v in filters.items() if v})


CSV_COLUMNS = (
    "nomor",
    "konteks",
    "event_type",
    "event_id",
    "stream_id",
    "subject_id",
    "aktor",
    "officer_id",
    "correlation_id",
    "recorded_at",
    "hash",
)
