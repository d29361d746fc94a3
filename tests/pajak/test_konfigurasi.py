"""pajak's configuration tables: seeded by the data migration, loaded into the domain's
``KonfigurasiPajak`` exactly as the seed wrote it, and a new row with a later date is how a
rule changes."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from django.apps import apps as django_apps
from django.db import connections
from django.test.utils import CaptureQueriesContext

from apps.pajak.domain.rules import PPH21, PPN, SPT_MASA_PPN, Masa
from apps.pajak.domain.tarif import pph21_ter
from apps.pajak.domain.tarif_bawaan import KONFIGURASI_BAWAAN
from apps.pajak.domain.tenggat import jatuh_tempo
from apps.pajak.konfigurasi import muat_konfigurasi, muat_libur
from apps.pajak.models import (
    DendaTelatLapor,
    HariLibur,
    LapisanTER,
    MasaBerlakuBilling,
    TabelTER,
    TarifPPN,
)
from apps.pajak.seed import HARI_LIBUR, muat_hari_libur
from apps.pajak.seed import muat_konfigurasi as isi_konfigurasi
from egov.eventstore.domain import InvalidState
from tests.pajak.perintah import konfigurasi  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]


def urut(rows):
    return sorted(rows, key=repr)


def test_the_migration_seeded_every_table_and_the_loader_gives_back_the_seed():
    dimuat = muat_konfigurasi()
    for tabel in (
        "ter",
        "kategori_ter",
        "ptkp",
        "pasal17",
        "biaya_jabatan",
        "ppn",
        "pph_badan",
        "masa_berlaku_billing",
        "denda",
        "tenggat",
    ):
        assert urut(getattr(dimuat, tabel)) == urut(getattr(KONFIGURASI_BAWAAN, tabel)), tabel
    assert TabelTER.objects.count() == 3
    assert LapisanTER.objects.filter(tabel__kategori="A").count() == 44


def test_seeding_again_adds_nothing():
    assert isi_konfigurasi(django_apps) == 0
    assert muat_hari_libur(django_apps) == 0


def test_one_query_per_table():
    with CaptureQueriesContext(connections["pajak"]) as queries:
        muat_konfigurasi()
    assert len(queries) == 13  # ten tables and the brackets or rows of three of them


def test_rates_are_exact_fractions_read_from_percent():
    ppn = muat_konfigurasi().ppn_pada(date(2025, 3, 1))
    assert (ppn.tarif, ppn.dpp_non_mewah, ppn.dpp_mewah) == (Decimal("0.12"), Fraction(11, 12), 1)
    ter = muat_konfigurasi().tabel_ter("A", date(2025, 1, 1)).lapisan
    assert (ter[0].batas_atas, ter[0].tarif) == (5_400_000, Decimal("0"))
    assert (ter[1].batas_atas, ter[1].tarif) == (5_650_000, Decimal("0.0025"))
    assert (ter[-1].batas_atas, ter[-1].tarif) == (None, Decimal("0.34"))


def test_a_new_row_with_a_later_date_changes_the_rule_from_that_date_only():
    TarifPPN.objects.create(
        berlaku_mulai=date(2027, 1, 1),
        tarif_persen=Decimal("13"),
        dpp_non_mewah_pembilang=12,
        dpp_non_mewah_penyebut=13,
        dasar_hukum="PMK uji",
    )
    MasaBerlakuBilling.objects.create(berlaku_mulai=date(2027, 1, 1), jam=72)
    DendaTelatLapor.objects.create(
        jenis_spt=SPT_MASA_PPN, berlaku_mulai=date(2027, 1, 1), nominal=750_000
    )
    k = muat_konfigurasi()
    assert k.ppn_pada(date(2026, 12, 31)).tarif == Decimal("0.12")
    baru = k.ppn_pada(date(2027, 1, 1))
    assert (baru.tarif, baru.dpp_non_mewah, baru.dasar_hukum) == (
        Decimal("0.13"),
        Fraction(12, 13),
        "PMK uji",
    )
    assert k.masa_berlaku_billing_pada(date(2026, 12, 31)).durasi == timedelta(days=14)
    assert k.masa_berlaku_billing_pada(date(2027, 1, 1)).durasi == timedelta(hours=72)
    assert k.denda_pada(SPT_MASA_PPN, date(2027, 1, 1)).nominal == 750_000
    assert k.denda_pada(SPT_MASA_PPN, date(2026, 12, 31)).nominal == 500_000


def test_a_changed_bracket_changes_the_tax_computed_for_the_periods_it_covers():
    sebelum = muat_konfigurasi()
    assert pph21_ter(
        bruto=10_000_000, status="TK/0", masa=Masa(2026, 2), konfigurasi=sebelum
    ).pph == (200_000)
    tabel = TabelTER.objects.create(kategori="A", berlaku_mulai=date(2026, 2, 1))
    LapisanTER.objects.create(tabel=tabel, batas_atas=None, tarif_persen=Decimal("1"))
    k = muat_konfigurasi()
    assert pph21_ter(bruto=10_000_000, status="TK/0", masa=Masa(2026, 1), konfigurasi=k).pph == (
        200_000
    )
    assert pph21_ter(bruto=10_000_000, status="TK/0", masa=Masa(2026, 2), konfigurasi=k).pph == (
        100_000
    )


def test_holidays_of_2025_to_2027_are_seeded_with_their_decree():
    assert HariLibur.objects.count() == len(HARI_LIBUR) == 62
    libur = muat_libur()
    assert date(2025, 8, 18) in libur  # added by the 2025 amendment
    assert date(2025, 12, 26) in libur
    assert {date(2026, 3, 20), date(2026, 3, 24)} <= libur
    assert date(2027, 3, 26) in libur  # Good Friday, counted from Easter
    assert HariLibur.objects.get(tanggal=date(2025, 8, 18)).dasar_hukum == (
        "SKB 3 Menteri No. 933/2025, 1/2025, 3/2025"
    )


def test_no_rule_in_force_is_a_refusal_not_a_guess():

    with pytest.raises(InvalidState) as refused:
        jatuh_tempo(PPH21, Masa(2024, 12), muat_konfigurasi(), muat_libur())
    assert refused.value.code == "aturan_tidak_ada"
    assert jatuh_tempo(PPN, Masa(2025, 11), muat_konfigurasi(), muat_libur()).lapor == date(
        2025, 12, 31
    )
