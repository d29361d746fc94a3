"""``pajak.statistik``: pre-aggregated read tables equal a recomputation from the events,
exactly, and applying an event again changes nothing."""

from datetime import date

import pytest

from apps.pajak.read_models import (
    KepatuhanSPT,
    KodeBillingHarian,
    PenerimaanBulanan,
    PenerimaanHarian,
    StatusKewajiban,
)
from egov.eventstore import projections
from egov.eventstore.models import Checkpoint
from tests.pajak.skenario import (
    NIK_C,
    NPWP_A,
    NPWP_B,
    isi_november,
    isi_tabel,
    jumlahkan,
    pembayaran_dari_peristiwa,
    peristiwa,
)

pytestmark = pytest.mark.django_db(databases="__all__")
NAME = "pajak.statistik"


@pytest.fixture
def skenario():
    s = isi_november()
    projections.run_projector(projections.get_projector(NAME))
    return s


def _rows(model, *fields, **filters) -> set[tuple]:
    return set(model.objects.using("pajak_read").filter(**filters).values_list(*fields))


def test_receipts_per_day_equal_the_sum_of_the_payment_events(skenario):
    expected = jumlahkan(pembayaran_dari_peristiwa(), "tanggal", "jenis_pajak", "kode_provinsi")

    got = _rows(
        PenerimaanHarian,
        "tanggal",
        "jenis_pajak",
        "kode_provinsi",
        "jumlah_rupiah",
        "jumlah_transaksi",
    )

    assert got == {(*key, rupiah, n) for key, (rupiah, n) in expected.items()}
    assert got == {
        (date(2026, 10, 15), "PPH21", "31", 750_000, 1),
        (date(2026, 11, 12), "PPH21", "32", 2_200_000, 1),
        # paid at 00:30 WIB on the 24th, 17:30 UTC on the 23rd: the Jakarta day counts
        (date(2026, 11, 24), "PPH21", "35", 1_000_000, 1),
        (date(2026, 11, 25), "PPN", "32", 5_500_000, 1),
        (date(2026, 11, 25), "PPH21", "32", 2_000_000, 1),
    }


def test_receipts_per_month_count_each_payer_once(skenario):
    pembayaran = pembayaran_dari_peristiwa()
    expected = jumlahkan(pembayaran, "bulan", "jenis_pajak", "kode_provinsi")
    payers: dict[tuple, set] = {}
    for p in pembayaran:
        key = (p["bulan"], p["jenis_pajak"], p["kode_provinsi"])
        payers.setdefault(key, set()).add(p["wajib_pajak_id"])

    got = _rows(
        PenerimaanBulanan,
        "bulan",
        "jenis_pajak",
        "kode_provinsi",
        "jumlah_rupiah",
        "jumlah_transaksi",
        "jumlah_pembayar",
    )

    assert got == {(*key, rupiah, n, len(payers[key])) for key, (rupiah, n) in expected.items()}
    # A paid PPh 21 twice in November (K1, K5): two payments, one payer.
    assert ("2026-11", "PPH21", "32", 4_200_000, 2, 1) in got


def test_billing_codes_are_counted_on_the_day_issued_paid_or_expired(skenario):
    got = _rows(
        KodeBillingHarian,
        "tanggal",
        "jenis_pajak",
        "kode_provinsi",
        "diterbitkan",
        "dibayar",
        "kedaluwarsa",
        tanggal__month=11,
    )

    assert got == {
        (date(2026, 11, 1), "PPH21", "35", 1, 0, 0),  # K2 issued
        (date(2026, 11, 10), "PPH21", "32", 1, 0, 0),  # K1 issued
        (date(2026, 11, 12), "PPH21", "32", 0, 1, 0),  # K1 paid
        (date(2026, 11, 15), "PPH21", "35", 0, 0, 1),  # K2 expired (14 x 24 h after issue)
        (date(2026, 11, 23), "PPH21", "35", 1, 0, 0),  # K3 issued
        (date(2026, 11, 24), "PPH21", "35", 0, 1, 0),  # K3 paid
        (date(2026, 11, 25), "PPN", "32", 1, 1, 0),  # K4
        (date(2026, 11, 25), "PPH21", "32", 1, 1, 0),  # K5
        (date(2026, 11, 25), "PPH21", "35", 1, 0, 0),  # K7 (unpaid)
    }


def test_returns_on_time_and_late_per_period_tax_province_and_deadline_month(skenario):
    got = _rows(
        KepatuhanSPT,
        "masa",
        "jenis_pajak",
        "kode_provinsi",
        "bulan_tenggat",
        "wajib_lapor",
        "tepat_waktu",
        "terlambat",
    )

    assert got == {
        ("2026-10", "PPH21", "32", "2026-11", 1, 1, 0),  # A, filed on the 12th (due the 20th)
        ("2026-10", "PPH21", "35", "2026-11", 1, 0, 1),  # B, filed on the 24th
        ("2026-10", "PPH21", "31", "2026-11", 1, 0, 0),  # C, not filed
        ("2026-10", "PPN", "32", "2026-11", 1, 1, 0),  # A, due the 30th
    }


def test_obligations_know_their_open_deadline_and_what_is_owed(skenario):
    ids = {k: o.id for k, o in skenario.kewajiban.items()}
    got = {
        row[0]: row[1:]
        for row in StatusKewajiban.objects.using("pajak_read").values_list(
            "kewajiban_id", "status_spt", "tepat_waktu", "tenggat", "denda", "tunggakan"
        )
    }

    assert got == {
        ids["A21"]: ("DILAPORKAN", True, None, 0, 0),
        ids["B21"]: ("DILAPORKAN", False, None, 100_000, 100_000),  # the fine is still due
        ids["C21"]: ("", None, date(2026, 11, 20), 100_000, 100_000),  # overdue since the 21st
        ids["APPN"]: ("DILAPORKAN", True, None, 0, 0),
    }


def test_delivering_every_event_again_changes_nothing(skenario):
    before = isi_tabel()
    projector = projections.get_projector(NAME)

    for event in peristiwa():
        projector.handle(event)  # a redelivery after a crash before the checkpoint moved

    assert isi_tabel() == before
    assert projections.run_projector(projector) == 0


def test_the_checkpoint_stands_at_the_last_event(skenario):
    checkpoint = Checkpoint.objects.using("pajak_read").get(projector=NAME)
    assert (checkpoint.feed, checkpoint.position) == ("pajak", peristiwa()[-1].position)


def test_read_tables_hold_no_name_nik_or_npwp(skenario):
    text = repr(isi_tabel())

    for secret in (NIK_C, NPWP_A, NPWP_B, NPWP_A[1:], NPWP_B[1:], "PT A", "PT B", "Citra"):
        assert secret not in text


def test_the_write_side_commands_events_reach_the_dashboard():
    """The same projector over events appended by the write side's use cases (not the test
    scenario): an officer opens an obligation, the return is drafted and filed with a billing
    code, the bank's payment files it."""
    from django.apps import apps

    from apps.pajak import commands, queries, seed
    from apps.pajak.queries import Penerimaan, SPTMasa, StatusKodeBilling
    from egov import clock
    from tests.pajak.perintah import BANK, PETUGAS, daftar_badan, meta, wib

    # The configuration is seeded by a migration; a transactional test's flush (on
    # PostgreSQL) empties it, so it is loaded again (idempotent) before the commands read it.
    seed.muat_konfigurasi(apps)
    seed.muat_hari_libur(apps)
    wp = daftar_badan(pada=wib(2026, 10, 1, 9))  # Bandung (3273)
    with clock.frozen(wib(2026, 11, 2, 9)):
        kewajiban_id = commands.pajak_timbulkan_kewajiban(
            principal=PETUGAS,
            wajib_pajak_id=wp,
            jenis_pajak="PPH21",
            masa="2026-10",
            metadata=meta(),
        )
        commands.pajak_susun_spt(
            principal=PETUGAS,
            kewajiban_id=kewajiban_id,
            pajak_terutang=3_300_000,
            kredit_pajak=0,
            metadata=meta(),
        )
        hasil = commands.pajak_laporkan_spt(
            principal=PETUGAS, kewajiban_id=kewajiban_id, metadata=meta()
        )
    with clock.frozen(wib(2026, 11, 3, 10, 30)):
        commands.pajak_terima_pembayaran(
            principal=BANK,
            kode=hasil.kode_billing.kode,
            ntpn="NTPN00000000CMD1",
            ntb="NTB-1",
            tanggal_bayar=wib(2026, 11, 3, 10),
            nominal=3_300_000,
            bank="BNI",
            metadata=meta(),
        )

    projections.run_projector(projections.get_projector(NAME))

    d = queries.dasbor(date(2026, 11, 3))
    assert d.penerimaan_hari_ini.rinci == (Penerimaan("PPH21", "32", 3_300_000, 1),)
    assert d.kode_billing_bulan_ini == StatusKodeBilling(diterbitkan=1, dibayar=1, kedaluwarsa=0)
    assert d.spt == (SPTMasa("2026-10", "PPH21", 1, 1, 0),)
    assert d.jumlah_tunggakan == 0
