"""bansos's configuration tables: seeded by the data migration from the domain's
``KONFIGURASI_BAWAAN`` and read back by ``muat_konfigurasi`` as the very same configuration."""

from datetime import date

import pytest
from django.apps import apps as django_apps

from apps.bansos.domain.konfigurasi import BLT_2025, KONFIGURASI_BAWAAN, Program
from apps.bansos.domain.rules import BLT, BULANAN, KELUARGA
from apps.bansos.konfigurasi import muat_konfigurasi
from apps.bansos.models import ProgramBansos, TidakBersamaProgram
from apps.bansos.seed import muat_konfigurasi as seed
from tests.bansos.perintah import konfigurasi  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]


def _urut(k):
    return sorted(k.program, key=lambda p: (p.kode, p.berlaku_mulai))


def test_the_tables_read_back_as_the_seed_configuration():
    assert _urut(muat_konfigurasi()) == _urut(KONFIGURASI_BAWAAN)


def test_seeding_again_creates_nothing():
    assert seed(django_apps) == 0
    assert ProgramBansos.objects.count() == 3
    assert _urut(muat_konfigurasi()) == _urut(KONFIGURASI_BAWAAN)


def test_a_later_row_replaces_a_programme_from_its_date_on():
    baru = ProgramBansos.objects.create(
        kode=BLT,
        nama="Bantuan Langsung Tunai 2026",
        jenis=KELUARGA,
        desil_maks=3,
        jadwal=BULANAN,
        berlaku_mulai=date(2026, 1, 1),
        nominal_tetap=400_000,
        dasar_hukum="PMK 2026",
    )
    TidakBersamaProgram.objects.create(program=baru, kode_program="PKH")

    k = muat_konfigurasi()
    assert k.program_pada(BLT, date(2025, 12, 31)) == BLT_2025
    assert k.program_pada(BLT, date(2026, 1, 1)) == Program(
        kode=BLT,
        nama="Bantuan Langsung Tunai 2026",
        jenis=KELUARGA,
        desil_maks=3,
        jadwal=BULANAN,
        berlaku_mulai=date(2026, 1, 1),
        nominal_tetap=400_000,
        tidak_bersama=("PKH",),
        dasar_hukum="PMK 2026",
    )
