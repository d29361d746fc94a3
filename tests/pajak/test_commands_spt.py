"""Obligations, returns and fines on pajak's aliases: the beat job opening each period's
obligations with deadlines moved past weekends and holidays, a return filed at once or after
its billing code is paid, and the late-filing fine once the deadline has passed."""

import re
from datetime import date

import pytest

from apps.pajak import commands, tasks
from apps.pajak.domain.events import (
    KewajibanMasaTimbul,
    SanksiDendaDitetapkan,
    SPTDilaporkan,
    SPTMenungguPembayaran,
)
from apps.pajak.domain.kewajiban import kewajiban_stream_id
from apps.pajak.domain.kode_billing import kode_billing_stream_id
from apps.pajak.domain.tarif_bawaan import UU_KUP
from apps.pajak.models import IndeksKewajiban, NomorBPE
from egov import clock
from egov.eventstore.domain import DomainError
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import AccessDenied, NotVisible
from tests.pajak.perintah import (  # noqa: F401 - konfigurasi: a fixture
    BANK,
    NIK,
    NPWP_BADAN,
    NPWP_BADAN_LAIN,
    PETUGAS,
    PETUGAS_JATIM,
    WARGA,
    WARGA_LAIN,
    aktifkan,
    daftar_badan,
    event_terakhir,
    jenis_event,
    konfigurasi,
    meta,
    refused,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
BPE = re.compile(r"^BPE-\d{8}-[0-9A-F]{10}$")


def timbulkan(wp_id, jenis_pajak: str, masa: str, principal=PETUGAS):
    return commands.pajak_timbulkan_kewajiban(
        principal=principal,
        wajib_pajak_id=wp_id,
        jenis_pajak=jenis_pajak,
        masa=masa,
        metadata=meta(),
    )


def susun(kewajiban_id, terutang: int, kredit: int = 0, principal=WARGA) -> int:
    return commands.pajak_susun_spt(
        principal=principal,
        kewajiban_id=kewajiban_id,
        pajak_terutang=terutang,
        kredit_pajak=kredit,
        metadata=meta(),
    )


def laporkan(kewajiban_id, principal=WARGA):
    return commands.pajak_laporkan_spt(
        principal=principal, kewajiban_id=kewajiban_id, metadata=meta()
    )


def bayar(kode: str, nominal: int, ntpn: str = "NTPN000000000001"):
    return commands.pajak_terima_pembayaran(
        principal=BANK,
        kode=kode,
        ntpn=ntpn,
        ntb="NTB-1",
        tanggal_bayar=clock.now(),
        nominal=nominal,
        metadata=meta("bank-a"),
    )


# --- obligations ------------------------------------------------------------------------------
def test_the_beat_job_opens_the_obligations_of_the_month_and_year_just_ended():
    pkp = daftar_badan(pkp=True)
    badan = daftar_badan(NPWP_BADAN_LAIN)
    orang = aktifkan()
    with clock.frozen(wib(2026, 1, 5, 1, 0)):
        assert tasks.pajak_timbulkan_kewajiban() == 6
        assert tasks.pajak_timbulkan_kewajiban() == 0  # idempotent

    rows = IndeksKewajiban.objects.order_by("jenis_pajak", "wajib_pajak_id")
    assert sorted(
        (r.wajib_pajak_id, r.jenis_pajak, r.masa, r.jatuh_tempo_bayar, r.jatuh_tempo_lapor)
        for r in rows
    ) == sorted(
        [
            (pkp, "PPH21", "2025-12", date(2026, 1, 15), date(2026, 1, 20)),
            (badan, "PPH21", "2025-12", date(2026, 1, 15), date(2026, 1, 20)),
            # 31 January 2026 is a Saturday: PPN moves to Monday 2 February
            (pkp, "PPN", "2025-12", date(2026, 2, 2), date(2026, 2, 2)),
            (pkp, "PPH_BADAN", "2025", date(2026, 4, 30), date(2026, 4, 30)),
            (badan, "PPH_BADAN", "2025", date(2026, 4, 30), date(2026, 4, 30)),
            (orang, "PPH_OP", "2025", date(2026, 3, 31), date(2026, 3, 31)),
        ]
    )
    assert event_terakhir(kewajiban_stream_id(orang, "PPH_OP", "2025")) == KewajibanMasaTimbul(
        wajib_pajak_id=orang,
        subjek_id=keyed_hash(NIK),
        jenis_pajak="PPH_OP",
        masa="2025",
        jatuh_tempo_bayar=date(2026, 3, 31),
        jatuh_tempo_lapor=date(2026, 3, 31),
        dasar_hukum="UU 28/2007 (KUP) Pasal 3 ayat 3 dan Pasal 9 ayat 2b",
    )
    with clock.frozen(wib(2026, 2, 2, 1, 0)):  # January ended: its monthly obligations only
        assert tasks.pajak_timbulkan_kewajiban() == 3
    assert IndeksKewajiban.objects.filter(masa="2026-01").count() == 3


def test_a_taxpayer_registered_after_the_period_gets_no_obligation_for_it():
    daftar_badan(pada=wib(2026, 1, 2, 9, 0))
    with clock.frozen(wib(2026, 1, 5, 1, 0)):
        assert tasks.pajak_timbulkan_kewajiban() == 0


def test_a_deadline_on_holidays_moves_to_the_next_working_day_and_the_fine_follows_it():
    wp_id = daftar_badan()
    kewajiban_id = timbulkan(wp_id, "PPH21", "2026-02")
    # 15 March 2026 is a Sunday; 20-24 March are Idulfitri and its collective leave
    assert event_terakhir(kewajiban_id) == KewajibanMasaTimbul(
        wajib_pajak_id=wp_id,
        subjek_id=commands.subjek_badan(NPWP_BADAN),
        jenis_pajak="PPH21",
        masa="2026-02",
        jatuh_tempo_bayar=date(2026, 3, 16),
        jatuh_tempo_lapor=date(2026, 3, 25),
        dasar_hukum="PMK 81/2024",
    )
    with clock.frozen(wib(2026, 3, 25, 23, 59)):  # the deadline's own day: not late yet
        assert tasks.pajak_periksa_tenggat_lapor() == 0
    with clock.frozen(wib(2026, 3, 26, 0, 5)):
        assert tasks.pajak_periksa_tenggat_lapor() == 1
        assert tasks.pajak_periksa_tenggat_lapor() == 0  # one fine per obligation
    assert event_terakhir(kewajiban_id) == SanksiDendaDitetapkan(
        jenis_spt="SPT_MASA_LAIN",
        nominal=100_000,
        jatuh_tempo_lapor=date(2026, 3, 25),
        dasar_hukum=UU_KUP,
        ditetapkan_pada=date(2026, 3, 26),
    )
    assert IndeksKewajiban.objects.get().denda_ditetapkan is True


def test_no_fine_for_a_return_filed_by_the_deadline_and_the_annual_fine_for_a_company():
    tepat = daftar_badan(pkp=True)
    telat = daftar_badan(NPWP_BADAN_LAIN)
    with clock.frozen(wib(2026, 3, 24, 10, 0)):
        ppn = timbulkan(tepat, "PPN", "2026-02")  # end of March 2026: Tuesday 31 March
        tahunan = timbulkan(telat, "PPH_BADAN", "2025")  # 30 April 2026
        susun(ppn, 0, principal=PETUGAS)
        assert laporkan(ppn, principal=PETUGAS).status == "DILAPORKAN"
    with clock.frozen(wib(2026, 5, 4, 9, 0)):
        assert tasks.pajak_periksa_tenggat_lapor() == 1
    assert jenis_event(ppn)[-1] == "SPTDilaporkan"
    assert event_terakhir(tahunan).nominal == 1_000_000
    assert IndeksKewajiban.objects.get(kewajiban_id=ppn).tepat_waktu is True


def test_obligation_refusals_write_nothing():
    badan = daftar_badan()
    orang = aktifkan()
    refused(DomainError, "bukan_pkp", timbulkan, badan, "PPN", "2026-01")
    refused(DomainError, "jenis_wp_tidak_sesuai", timbulkan, badan, "PPH_OP", "2025")
    refused(DomainError, "masa_tidak_sesuai", timbulkan, badan, "PPH21", "2025")
    refused(DomainError, "aturan_tidak_ada", timbulkan, badan, "PPH21", "2024-12")
    refused(AccessDenied, "luar_wilayah", timbulkan, badan, "PPH21", "2026-01", PETUGAS_JATIM)
    refused(AccessDenied, "bukan_petugas", timbulkan, orang, "PPH_OP", "2025", WARGA)
    timbulkan(badan, "PPH21", "2026-01")
    refused(DomainError, "kewajiban_sudah_ada", timbulkan, badan, "PPH21", "2026-01")


# --- returns ----------------------------------------------------------------------------------
def test_a_nil_return_is_filed_at_once_with_its_receipt():
    orang = aktifkan()
    kewajiban_id = timbulkan(orang, "PPH_OP", "2025")
    with clock.frozen(wib(2026, 3, 2, 10, 0)):
        assert susun(kewajiban_id, 1_000_000, 1_000_000) == 0
        hasil = laporkan(kewajiban_id)
    assert hasil.status == "DILAPORKAN"
    assert BPE.match(hasil.bpe)
    assert hasil.bpe.startswith("BPE-20260302-")
    assert event_terakhir(kewajiban_id) == SPTDilaporkan(
        bpe=hasil.bpe, dilaporkan_pada=wib(2026, 3, 2, 10, 0), ntpn="", dibayar=0
    )
    assert NomorBPE.objects.get().kewajiban_id == kewajiban_id
    row = IndeksKewajiban.objects.get()
    assert (row.status_spt, row.tepat_waktu) == ("DILAPORKAN", True)


def test_a_return_with_tax_to_pay_waits_for_its_code_and_the_bank_payment_files_it():
    orang = aktifkan()
    kewajiban_id = timbulkan(orang, "PPH_OP", "2025")
    with clock.frozen(wib(2026, 3, 2, 10, 0)):
        assert susun(kewajiban_id, 2_000_000, 500_000) == 1_500_000
        hasil = laporkan(kewajiban_id)
        kode = hasil.kode_billing.kode
        assert hasil.status == "MENUNGGU_PEMBAYARAN"
        assert (hasil.kode_billing.nominal, hasil.kode_billing.kedaluwarsa) == (
            1_500_000,
            wib(2026, 3, 16, 10, 0),
        )
        assert laporkan(kewajiban_id) == hasil  # asked again: the same code, nothing new
    assert event_terakhir(kewajiban_id) == SPTMenungguPembayaran(
        pembetulan_ke=0, kode_billing=kode, nominal=1_500_000
    )
    assert event_terakhir(kode_billing_stream_id(kode)).kewajiban_id == kewajiban_id
    assert jenis_event(kewajiban_id) == [
        "KewajibanMasaTimbul",
        "SPTDisusun",
        "SPTMenungguPembayaran",
    ]

    with clock.frozen(wib(2026, 3, 3, 14, 0)):
        bayar(kode, 1_500_000)
    lapor = event_terakhir(kewajiban_id)
    assert isinstance(lapor, SPTDilaporkan)
    assert (lapor.dilaporkan_pada, lapor.ntpn, lapor.dibayar) == (
        wib(2026, 3, 3, 14, 0),
        "NTPN000000000001",
        1_500_000,
    )
    assert BPE.match(lapor.bpe)
    assert IndeksKewajiban.objects.get().status_spt == "DILAPORKAN"
    with clock.frozen(wib(2026, 3, 3, 14, 1)):
        bayar(kode, 1_500_000)  # the bank retries: nothing new anywhere
    assert jenis_event(kewajiban_id)[-1] == "SPTDilaporkan"
    assert len(jenis_event(kewajiban_id)) == 4


def test_an_expired_code_is_replaced_when_the_return_is_filed_again():
    orang = aktifkan()
    kewajiban_id = timbulkan(orang, "PPH_OP", "2025")
    with clock.frozen(wib(2026, 3, 2, 10, 0)):
        susun(kewajiban_id, 300_000)
        lama = laporkan(kewajiban_id).kode_billing.kode
    with clock.frozen(wib(2026, 3, 16, 10, 0)):
        assert tasks.pajak_kedaluwarsakan_billing() == 1
        baru = laporkan(kewajiban_id).kode_billing
    assert baru.kode != lama
    assert baru.kedaluwarsa == wib(2026, 3, 30, 10, 0)
    assert event_terakhir(kewajiban_id) == SPTMenungguPembayaran(
        pembetulan_ke=0, kode_billing=baru.kode, nominal=300_000
    )
    with clock.frozen(wib(2026, 3, 16, 11, 0)):
        refused(DomainError, "kedaluwarsa", bayar, lama, 300_000)
        bayar(baru.kode, 300_000)
    assert jenis_event(kewajiban_id)[-1] == "SPTDilaporkan"


def test_return_refusals_write_nothing():
    orang = aktifkan()
    kewajiban_id = timbulkan(orang, "PPH_OP", "2025")
    refused(DomainError, "tahap_spt_salah", laporkan, kewajiban_id)
    refused(DomainError, "pajak_tidak_valid", susun, kewajiban_id, -1)
    refused(NotVisible, "tidak_ditemukan", susun, kewajiban_id, 0, 0, WARGA_LAIN)
    refused(NotVisible, "tidak_ditemukan", laporkan, kewajiban_id, WARGA_LAIN)
    refused(AccessDenied, "luar_wilayah", laporkan, kewajiban_id, PETUGAS_JATIM)
    unknown = kewajiban_stream_id(orang, "PPH_OP", "2024")
    refused(NotVisible, "tidak_ditemukan", susun, unknown, 0)
    assert NomorBPE.objects.count() == 0
