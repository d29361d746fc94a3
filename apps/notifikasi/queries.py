"""Read side only: plain data from ``notifikasi_read`` for the portal and the admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy

from apps.notifikasi.domain import DIBUAT, GAGAL, MENGIRIM, PESAN, TERKIRIM
from apps.notifikasi.models import NotifikasiView

# What a citizen reads: the notification's subject line and its delivery status in words.
LABELS = {
    **{jenis: gettext_lazy(subject) for jenis, (subject, _body) in PESAN.items()},
    DIBUAT: gettext_lazy("Dalam antrean"),
    MENGIRIM: gettext_lazy("Sedang dikirim"),
    TERKIRIM: gettext_lazy("Terkirim"),
    GAGAL: gettext_lazy("Gagal dikirim: periksa alamat e-mail Anda di profil"),
}


@dataclass(frozen=True)
class NotifikasiWarga:
    jenis: str
    status: str
    dibuat_pada: datetime


def notifikasi_warga(subject_id: str) -> list[NotifikasiWarga]:
    rows = NotifikasiView.objects.filter(subject_id=subject_id).order_by("-dibuat_pada")[:50]
    return [NotifikasiWarga(r.jenis, r.status, r.dibuat_pada) for r in rows]
