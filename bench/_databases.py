"""The benches' databases back to what ``migrate_all`` leaves: every context's events, keys
and rows removed (an operator's bypass of the append-only triggers), then the configuration
the data migrations seed loaded again. So each run of a bench starts from the same state: a
store grown by earlier runs would make the later side of a comparison pay for it.

Imported after ``django.setup()``.
"""

from __future__ import annotations

from django.apps import apps as django_apps
from django.db import connections

from apps.bansos import seed as bansos_seed
from apps.izin import seed as izin_seed
from apps.izin.commands import terbitkan_referensi
from apps.izin.models import HariLibur, RisikoKBLI, TenggatTahap
from apps.pajak import seed as pajak_seed
from egov.eventstore import projections


def empty(aliases: list[str] | None = None) -> None:
    """Truncate every table but Django's own (users, groups, sessions) on ``aliases`` (every
    alias when None), then seed the configuration again and publish izin's KBLI table."""
    for alias in aliases if aliases is not None else list(connections):
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT "
                "LIKE 'django_%%' AND tablename NOT LIKE 'auth_%%'"
            )
            tables = [row[0] for row in cursor.fetchall()]
            if tables:
                cursor.execute("SET session_replication_role = replica")
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
                cursor.execute("SET session_replication_role = DEFAULT")
    pajak_seed.muat_konfigurasi(django_apps)
    pajak_seed.muat_hari_libur(django_apps)
    izin_seed.muat_konfigurasi(RisikoKBLI, TenggatTahap, HariLibur)
    bansos_seed.muat_konfigurasi(django_apps)
    terbitkan_referensi()
    projections.run_projector(projections.get_projector("izin.referensi"))
