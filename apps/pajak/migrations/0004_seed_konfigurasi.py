"""Seed pajak's configuration: the tax tables of domain/tarif_bawaan.py and the holidays of
2025-2027 (apps/pajak/seed.py says which decree each date comes from)."""

from django.db import migrations

from apps.pajak.seed import muat_hari_libur, muat_konfigurasi


def seed(apps, schema_editor):
    alias = schema_editor.connection.alias
    if alias != "pajak":  # the configuration lives on pajak's write database only
        return
    muat_konfigurasi(apps, alias=alias)
    muat_hari_libur(apps, alias=alias)


class Migration(migrations.Migration):
    dependencies = [("pajak", "0003_konfigurasi")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
