from django.db import migrations

from apps.izin.seed import muat_konfigurasi


def seed(apps, schema_editor):
    alias = schema_editor.connection.alias
    if alias != "izin":  # the configuration lives on izin's write database only
        return
    muat_konfigurasi(apps.get_model("izin", "RisikoKBLI"), apps.get_model("izin", "TenggatTahap"),
                     alias=alias)


class Migration(migrations.Migration):
    dependencies = [("izin", "0002_tabel_izin")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
