"""The timeline keeps each step's detail as typed, and the label is worded when read.

Earlier versions stored "<Indonesian label>: <detail> [dokumen terlampir, SHA-256 <12 hex>…]",
so an English reader saw Indonesian. This migration adds ``lampiran_sha256`` and splits the
stored rows: the label (known from the step's kind) is dropped, the attachment note becomes
``lampiran_sha256`` (only the 12 characters the old text kept, which is all the page shows),
and the detail stays as typed. Rows already in the new shape are left alone, so running it
twice changes nothing. Backwards, the old sentence is written again.
"""

import re

from django.db import migrations, models

# The labels as the projection wrote them (frozen here: the migration must not follow later
# edits of ``queries.LANGKAH``).
LABEL_LAMA = {
    "PermohonanIzinDibuat": "Permohonan izin diajukan",
    "MenungguVerifikasiIdentitas": "Menunggu verifikasi identitas (Dukcapil)",
    "IdentitasPemohonTerverifikasi": "Identitas pemohon terverifikasi",
    "TingkatRisikoDitetapkan": "Tingkat risiko ditetapkan",
    "IzinDisetujui": "Izin disetujui",
    "IzinDisetujuiFiktifPositif": "Izin disetujui (fiktif positif: tenggat terlampaui)",
    "IzinDitolak": "Izin ditolak",
    "PerbaikanDiminta": "Perbaikan diminta",
    "PerbaikanDiajukan": "Perbaikan diajukan",
    "IzinDikirim": "Dokumen izin dikirim",
    "IzinDicabut": "Izin dicabut",
}
LAMPIRAN_LAMA = re.compile(r"\s*\[dokumen terlampir, SHA-256 ([0-9a-f]{1,64})…\]$")


def pisah(jenis: str, teks: str) -> tuple[str, str] | None:
    """(detail, attachment hash) of an old row's text; None if it is not in the old shape."""
    label = LABEL_LAMA.get(jenis, "")
    if teks == label:
        return "", ""
    if not teks.startswith(f"{label}:"):
        return None
    detail = teks[len(label) + 1 :].removeprefix(" ")
    found = LAMPIRAN_LAMA.search(detail)
    if found is None:
        return detail, ""
    return detail[: found.start()], found.group(1)


def ke_rincian(apps, schema_editor):
    rows = apps.get_model("izin", "RiwayatIzin").objects.using(schema_editor.connection.alias)
    for pk, jenis, teks in rows.values_list("pk", "jenis", "keterangan").iterator():
        hasil = pisah(jenis, teks)
        if hasil is not None and hasil != (teks, ""):
            rows.filter(pk=pk).update(keterangan=hasil[0], lampiran_sha256=hasil[1])


def ke_kalimat(apps, schema_editor):
    rows = apps.get_model("izin", "RiwayatIzin").objects.using(schema_editor.connection.alias)
    for row in rows.iterator():
        detail = row.keterangan
        if row.lampiran_sha256:
            detail += f" [dokumen terlampir, SHA-256 {row.lampiran_sha256[:12]}…]"
        label = LABEL_LAMA.get(row.jenis, "")
        rows.filter(pk=row.pk).update(keterangan=label + (f": {detail}" if detail else ""))


class Migration(migrations.Migration):
    dependencies = [
        ("izin", "0010_dokumen_tersegel"),
    ]

    operations = [
        migrations.AddField(
            model_name="riwayatizin",
            name="lampiran_sha256",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(ke_rincian, ke_kalimat, hints={"model_name": "riwayatizin"}),
    ]
