"""Crypto-shredding for izin's documents (UU PDP 27/2022).

The permit PDF (prints the applicant's name) and a correction's uploaded document were stored
in clear, so destroying the applicant's key left them readable. From here on both are sealed
with the applicant's own key. This migration:

1. gives ``DokumenIzin`` the applicant's ``subject_id`` (from the work index, else from the
   application's first event);
2. seals every clear blob left by earlier versions with that subject's key, bound to its row
   (``izin:dokumen:<permohonan_id>`` / ``izin:lampiran:<id>``); a blob whose subject was
   already erased is emptied, which is what erasure promised. Already sealed blobs are
   skipped, so an interrupted run is finished by running it again. Needs
   ``PERSONAL_DATA_MASTER_KEY`` (as the application does) when there are rows to seal;
3. drops the read side's clear copy of the PDF (``DokumenIzinTerbit.pdf``): downloads open
   the sealed blob by id.

Not reversible into clear bytes on purpose: going back leaves the blobs sealed.
"""

from django.db import migrations, models

from egov.eventstore.crypto import PersonalDataCodec, SubjectForgotten, is_sealed_blob

ALIAS = "izin"


def _seal(codec, subject_id: str, data: bytes, associated: str) -> bytes:
    try:
        return codec.seal_bytes(subject_id, data, associated=associated)
    except SubjectForgotten:
        return b""  # the applicant was erased before this migration: erase the blob too


def _subject_of(apps, permohonan_id) -> str:
    indeks = apps.get_model("izin", "IndeksPermohonan").objects.using(ALIAS)
    subject = indeks.filter(permohonan_id=permohonan_id).values_list("nik_hash", flat=True).first()
    if subject:
        return subject
    events = apps.get_model("izin", "IzinEvent").objects.using(ALIAS)
    first = (
        events.filter(stream_id=permohonan_id)
        .exclude(subject_id="")
        .order_by("version")
        .values_list("subject_id", flat=True)
        .first()
    )
    if not first:
        raise RuntimeError(f"izin document {permohonan_id}: no applicant found to seal it for")
    return first


def segel_blob_lama(apps, schema_editor):
    if schema_editor.connection.alias != ALIAS:  # the blobs live on izin's write database
        return
    codec = PersonalDataCodec(apps.get_model("izin", "IzinSubjectKey"), ALIAS)
    dokumen = apps.get_model("izin", "DokumenIzin").objects.using(ALIAS)
    for pk in dokumen.values_list("pk", flat=True).order_by("pk"):
        row = dokumen.get(pk=pk)
        subject_id = row.subject_id or _subject_of(apps, pk)
        pdf = bytes(row.pdf)
        if pdf and not is_sealed_blob(pdf):
            pdf = _seal(codec, subject_id, pdf, f"izin:dokumen:{pk}")
        dokumen.filter(pk=pk).update(subject_id=subject_id, pdf=pdf)
    lampiran = apps.get_model("izin", "LampiranPerbaikan").objects.using(ALIAS)
    for pk in lampiran.values_list("pk", flat=True).order_by("pk"):
        row = lampiran.get(pk=pk)
        isi = bytes(row.isi)
        if isi and not is_sealed_blob(isi):
            isi = _seal(codec, row.subject_id, isi, f"izin:lampiran:{pk}")
            lampiran.filter(pk=pk).update(isi=isi)


class Migration(migrations.Migration):
    dependencies = [
        ("izin", "0009_lampiran_perbaikan"),
    ]

    operations = [
        migrations.AddField(
            model_name="dokumenizin",
            name="subject_id",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(segel_blob_lama, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(
            model_name="dokumenizinterbit",
            name="pdf",
        ),
    ]
