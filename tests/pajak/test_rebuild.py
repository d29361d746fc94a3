"""Disaster recovery: the pajak read database is wiped, ``rebuild_projections`` replays the
feed, and every table, the dashboard and the report come back exactly as they were."""

import io

import pytest
from django.core.management import call_command

from apps.pajak import queries
from apps.pajak.read_models import READ_MODELS
from egov.eventstore.models import Checkpoint
from tests.pajak.skenario import (
    HARI_INI,
    isi_tabel,
    november,  # noqa: F401 - a fixture
    peristiwa,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("november")]
NAME = "pajak.statistik"


def _wipe_read_database() -> None:
    for model in READ_MODELS:
        model.objects.using("pajak_read").all().delete()
    Checkpoint.objects.using("pajak_read").all().delete()


def test_rebuild_after_losing_the_read_database_gives_the_same_tables():
    tables = isi_tabel()
    dasbor = queries.dasbor(HARI_INI)
    laporan = list(queries.laporan_bulanan("2026-11"))
    assert all(tables[model.__name__] for model in READ_MODELS)  # every table has rows
    _wipe_read_database()
    assert queries.dasbor(HARI_INI).penerimaan_bulan_ini.jumlah_rupiah == 0

    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_projections", NAME, stdout=out, stderr=err)

    assert isi_tabel() == tables
    assert queries.dasbor(HARI_INI) == dasbor
    assert list(queries.laporan_bulanan("2026-11")) == laporan
    total = len(peristiwa())
    assert f"{NAME}: {total} events replayed" in out.getvalue()
    assert f"{total}/{total}" in err.getvalue()


def test_rebuild_over_existing_rows_does_not_count_twice():
    tables = isi_tabel()

    call_command("rebuild_projections", NAME, stdout=io.StringIO(), stderr=io.StringIO())

    assert isi_tabel() == tables
