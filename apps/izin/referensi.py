"""Reference data of the izin context: the KBLI risk table, as plain data for the KBLI picker
(portal form and ``GET /api/v1/izin/kbli/``).

The table is configuration on izin's write alias, edited in the admin and read by the command
side (``commands._ketentuan``) when it decides a risk level. Pages and the API read the copy
on the read alias (``KBLIReferensi``, kept by the ``izin.referensi`` projector from the
table's publication events), with the command's rule: for each scale, the row in force on the
day, a scale-specific row winning over the row for every scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy

from apps.izin.domain.rules import MENENGAH_RENDAH, MENENGAH_TINGGI, RENDAH, SKALA, TINGGI
from apps.izin.models import KBLIReferensi
from egov import clock

ALIAS = "izin_read"
BATAS_HASIL = 20

# What a risk level yields (OSS-RBA, PP 28/2025), in words a business owner understands.
PENJELASAN_TINGKAT = {
    RENDAH: gettext_lazy("Cukup NIB: NIB langsung berlaku sebagai izin usaha."),
    MENENGAH_RENDAH: gettext_lazy(
        "NIB dan sertifikat standar berupa pernyataan mandiri: terbit otomatis."
    ),
    MENENGAH_TINGGI: gettext_lazy(
        "NIB dan sertifikat standar yang diverifikasi oleh instansi berwenang."
    ),
    TINGGI: gettext_lazy("NIB dan izin yang harus disetujui oleh instansi berwenang."),
}
NAMA_TINGKAT = {
    RENDAH: gettext_lazy("Rendah"),
    MENENGAH_RENDAH: gettext_lazy("Menengah Rendah"),
    MENENGAH_TINGGI: gettext_lazy("Menengah Tinggi"),
    TINGGI: gettext_lazy("Tinggi"),
}


@dataclass(frozen=True)
class RisikoSkala:
    skala: str
    tingkat: str
    tingkat_nama: str
    penjelasan: str
    otoritas: str


@dataclass(frozen=True)
class KBLI:
    kode: str
    versi: str
    judul: str
    sektor: str
    risiko: tuple[RisikoSkala, ...]


def _berlaku(versi: str, pada: date):
    return KBLIReferensi.objects.using(ALIAS).filter(
        Q(berlaku_sampai__isnull=True) | Q(berlaku_sampai__gte=pada),
        versi=versi,
        berlaku_mulai__lte=pada,
    )


def _per_skala(rows: list[KBLIReferensi]) -> tuple[RisikoSkala, ...]:
    """Each scale's row: its own if there is one, else the row for every scale (the newest)."""
    terbaru = sorted(rows, key=lambda r: r.berlaku_mulai, reverse=True)
    hasil = []
    for skala in SKALA:
        row = next((r for r in terbaru if r.skala == skala), None)
        row = row or next((r for r in terbaru if r.skala == ""), None)
        if row is not None:
            hasil.append(
                RisikoSkala(
                    skala=skala,
                    tingkat=row.tingkat,
                    tingkat_nama=str(NAMA_TINGKAT.get(row.tingkat, row.tingkat)),
                    penjelasan=str(PENJELASAN_TINGKAT.get(row.tingkat, "")),
                    otoritas=row.otoritas,
                )
            )
    return tuple(hasil)


def cari_kbli(q: str, *, versi: str = "2020", pada: date | None = None) -> list[KBLI]:
    """KBLI activities in force whose code starts with ``q`` or whose title or sector
    contains it (all, up to ``BATAS_HASIL``, when ``q`` is empty), by code."""
    rows = _berlaku(versi, pada or clock.today())
    q = q.strip()
    if q:
        rows = rows.filter(Q(kode__startswith=q) | Q(judul__icontains=q) | Q(sektor__icontains=q))
    kode = list(rows.order_by("kode").values_list("kode", flat=True).distinct()[:BATAS_HASIL])
    semua = list(_berlaku(versi, pada or clock.today()).filter(kode__in=kode))
    hasil = []
    for k in kode:
        milik = [r for r in semua if r.kode == k]
        umum = next((r for r in milik if r.skala == ""), milik[0])
        hasil.append(
            KBLI(
                kode=k, versi=versi, judul=umum.judul, sektor=umum.sektor, risiko=_per_skala(milik)
            )
        )
    return hasil


def kbli_dikenal(kode: str, *, versi: str = "2020", pada: date | None = None) -> bool:
    """A code the risk table knows today (the form's check; the command checks the scale)."""
    return _berlaku(versi, pada or clock.today()).filter(kode=kode.strip()).exists()
