"""Seed bansos's programmes: PKH, BPNT and BLT as in domain/konfigurasi.py (2025 figures)."""

from django.db import migrations

from apps.bansos.seed import muat_konfigurasi


def seed(apps, schema_editor):
    alias = schema_editor.connection.alias
    if alias != "bansos":  # the configuration lives on bansos's write database only
        return
    muat_konfigurasi(apps, alias=alias)


class Migration(migrations.Migration):
    dependencies = [("bansos", "0002_konfigurasi_replika_indeks")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
