"""The work index gets the duplicate key (same applicant, KBLI, location and business name);
rows of applications made before it are filled from their ``PermohonanIzinDibuat`` (the
fields it needs are not personal, so they are stored in clear in the payload)."""

from django.db import migrations, models

from apps.izin.domain.rules import TUJUAN_KUNCI_GANDA, usaha_yang_sama
from egov.eventstore.pseudonym import keyed_hash


def isi_kunci_ganda(apps, schema_editor):
    alias = schema_editor.connection.alias
    if alias != "izin":  # the work index lives on izin's write database only
        return
    indeks = apps.get_model("izin", "IndeksPermohonan").objects.using(alias)
    events = apps.get_model("izin", "IzinEvent").objects.using(alias)
    for row in events.filter(event_type="PermohonanIzinDibuat").iterator():
        p = row.payload
        teks = usaha_yang_sama(p["nik_hash"], p["kbli_kode"], p["kode_wilayah"], p["nama_usaha"])
        indeks.filter(permohonan_id=row.stream_id, kunci_ganda="").update(
            kunci_ganda=keyed_hash(teks, purpose=TUJUAN_KUNCI_GANDA)
        )


class Migration(migrations.Migration):
    dependencies = [("izin", "0007_etiket_indonesia")]

    operations = [
        migrations.AddField(
            model_name="indekspermohonan",
            name="kunci_ganda",
            field=models.CharField(blank=True, db_index=True, default="", max_length=64),
        ),
        migrations.RunPython(isi_kunci_ganda, migrations.RunPython.noop),
    ]
