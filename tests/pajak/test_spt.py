"""Obligations and returns: deadlines on the working-day calendar, the SPT lifecycle with
amendments, and the late-filing fine."""

import uuid
from datetime import date

import pytest

from apps.pajak.domain.events import (
    KewajibanMasaTimbul,
    SanksiDendaDitetapkan,
    SPTDilaporkan,
    SPTDisusun,
    SPTMenungguPembayaran,
    SPTPembetulanDilaporkan,
)
from apps.pajak.domain.kewajiban import Kewajiban, kewajiban_stream_id
from apps.pajak.domain.rules import DILAPORKAN, DRAF, MENUNGGU_PEMBAYARAN
from apps.pajak.domain.tarif_bawaan import PMK_81_2024, UU_KUP, UU_KUP_TAHUNAN
from apps.pajak.domain.wajib_pajak import WajibPajak
from egov.eventstore.domain import InvalidInput, InvalidState
from tests.pajak.factories import KONFIGURASI, badan, orang_pribadi, wib

# The holidays the command would read: Nyepi's joint leave, Idul Fitri 1446 H and its joint
# leave days, Idul Adha and its joint leave day (2025).
LIBUR = frozenset(
    [date(2025, 3, 28), date(2025, 3, 31)]
    + [date(2025, 4, d) for d in (1, 2, 3, 4, 7)]
    + [date(2025, 6, 6), date(2025, 6, 9)]
)
KODE = "012345678901234"
KODE_2 = "012345678909999"
NTPN, NTPN_2 = "0A1B2C3D4E5F6G7H", "1A1B2C3D4E5F6G7H"


def _timbul(jenis="PPH21", masa="2025-05", wp: WajibPajak | None = None) -> Kewajiban:
    wp = wp or badan(pkp=True)
    kewajiban = Kewajiban(kewajiban_stream_id(wp.id, jenis, masa))
    kewajiban.timbul(wajib_pajak=wp, jenis=jenis, masa=masa, konfigurasi=KONFIGURASI, libur=LIBUR)
    return kewajiban


def _tempo(kewajiban: Kewajiban) -> tuple[date, date]:
    return kewajiban.jatuh_tempo_bayar, kewajiban.jatuh_tempo_lapor


# --- deadlines ----------------------------------------------------------------------------
def test_pph21_is_paid_by_the_15th_moved_off_a_sunday_and_filed_by_the_20th():
    kewajiban = _timbul("PPH21", "2025-05")
    [event] = kewajiban.pending
    assert event == KewajibanMasaTimbul(
        wajib_pajak_id=badan().id,
        subjek_id=badan().subjek_id,
        jenis_pajak="PPH21",
        masa="2025-05",
        jatuh_tempo_bayar=date(2025, 6, 16),  # 15 June 2025 is a Sunday
        jatuh_tempo_lapor=date(2025, 6, 20),
        dasar_hukum=PMK_81_2024,
    )


def test_a_filing_deadline_on_a_saturday_moves_to_monday():
    # August 2025: paid by Monday 15 September; 20 September is a Saturday.
    assert _tempo(_timbul("PPH21", "2025-08")) == (date(2025, 9, 15), date(2025, 9, 22))


def test_a_vat_deadline_on_idul_fitri_moves_past_the_holidays_and_joint_leave():
    # February 2025's VAT is due at the end of March: 31 March was Idul Fitri.
    assert _tempo(_timbul("PPN", "2025-02")) == (date(2025, 4, 8), date(2025, 4, 8))


def test_annual_returns_31_march_for_individuals_and_30_april_for_companies():
    kewajiban = _timbul("PPH_OP", "2024", wp=orang_pribadi())
    assert _tempo(kewajiban) == (date(2025, 4, 8), date(2025, 4, 8))  # 31 March: Idul Fitri
    assert kewajiban.pending[0].dasar_hukum == UU_KUP_TAHUNAN
    assert _tempo(_timbul("PPH_BADAN", "2024")) == (date(2025, 4, 30), date(2025, 4, 30))


@pytest.mark.parametrize(
    ("jenis", "masa", "wp", "error", "code"),
    [
        ("PPN", "2025-05", lambda: badan(pkp=False), InvalidState, "bukan_pkp"),
        ("PPH_BADAN", "2024", orang_pribadi, InvalidInput, "jenis_wp_tidak_sesuai"),
        ("PPH_OP", "2024", badan, InvalidInput, "jenis_wp_tidak_sesuai"),
        ("PPH21", "2025", badan, InvalidInput, "masa_tidak_sesuai"),
        ("PPH21", "2025-13", badan, InvalidInput, "masa_tidak_valid"),
        ("PPH21", "2024-12", badan, InvalidState, "aturan_tidak_ada"),  # before PMK 81/2024
        ("PPH21", "2025-05", lambda: WajibPajak(uuid.uuid4()), InvalidState, "belum_terdaftar"),
    ],
)
def test_an_obligation_that_does_not_apply_is_refused(jenis, masa, wp, error, code):
    kewajiban = Kewajiban(uuid.uuid4())
    with pytest.raises(error) as refused:
        kewajiban.timbul(
            wajib_pajak=wp(), jenis=jenis, masa=masa, konfigurasi=KONFIGURASI, libur=LIBUR
        )
    assert refused.value.code == code
    assert kewajiban.pending == []


def test_an_obligation_arises_once():
    kewajiban = _timbul()
    with pytest.raises(InvalidState) as refused:
        kewajiban.timbul(
            wajib_pajak=badan(), jenis="PPH21", masa="2025-05", konfigurasi=KONFIGURASI, libur=LIBUR
        )
    assert refused.value.code == "kewajiban_sudah_ada"


# --- the return ---------------------------------------------------------------------------
def test_a_nil_return_is_filed_at_once_with_its_receipt():
    kewajiban = _timbul()
    kewajiban.susun_spt(pajak_terutang=0, kredit_pajak=0, sekarang=wib(2025, 6, 10, 9, 0))
    assert kewajiban.perlu_pembayaran is False
    kewajiban.laporkan_spt(bpe="BPE-0001", sekarang=wib(2025, 6, 10, 9, 5))
    assert kewajiban.pending[1:] == [
        SPTDisusun(
            pembetulan_ke=0,
            pajak_terutang=0,
            kredit_pajak=0,
            kurang_bayar=0,
            disusun_pada=wib(2025, 6, 10, 9, 0),
        ),
        SPTDilaporkan(bpe="BPE-0001", dilaporkan_pada=wib(2025, 6, 10, 9, 5)),
    ]
    assert kewajiban.status_spt == DILAPORKAN


def _menunggu(terutang=2_200_000, kredit=0) -> Kewajiban:
    kewajiban = _timbul()
    kewajiban.susun_spt(
        pajak_terutang=terutang, kredit_pajak=kredit, sekarang=wib(2025, 6, 10, 9, 0)
    )
    kewajiban.minta_pembayaran(kode_billing=KODE)
    return kewajiban


def test_a_return_with_tax_to_pay_waits_for_its_billing_code_then_is_filed_when_paid():
    kewajiban = _menunggu(terutang=2_500_000, kredit=300_000)
    assert kewajiban.status_spt == MENUNGGU_PEMBAYARAN
    assert kewajiban.pending[-1] == SPTMenungguPembayaran(
        pembetulan_ke=0, kode_billing=KODE, nominal=2_200_000
    )
    dicatat = kewajiban.catat_pembayaran(
        kode_billing=KODE,
        ntpn=NTPN,
        nominal=2_200_000,
        bpe="BPE-0002",
        sekarang=wib(2025, 6, 12, 10, 0),
    )
    assert dicatat is True
    assert kewajiban.pending[-1] == SPTDilaporkan(
        bpe="BPE-0002", dilaporkan_pada=wib(2025, 6, 12, 10, 0), ntpn=NTPN, dibayar=2_200_000
    )
    again = kewajiban.catat_pembayaran(
        kode_billing=KODE, ntpn=NTPN, nominal=2_200_000, bpe="BPE-X", sekarang=wib(2025, 6, 13)
    )
    assert again is False
    assert len(kewajiban.pending) == 4


def test_a_return_with_tax_to_pay_cannot_be_filed_without_payment():
    kewajiban = _timbul()
    kewajiban.susun_spt(pajak_terutang=1, kredit_pajak=0, sekarang=wib(2025, 6, 10))
    with pytest.raises(InvalidState) as refused:
        kewajiban.laporkan_spt(bpe="BPE-0001", sekarang=wib(2025, 6, 10))
    assert refused.value.code == "perlu_kode_billing"
    assert len(kewajiban.pending) == 2


def test_a_payment_of_another_code_or_amount_does_not_file_the_return():
    kewajiban = _menunggu()
    for kode, nominal in ((KODE_2, 2_200_000), (KODE, 2_000_000)):
        with pytest.raises(InvalidState) as refused:
            kewajiban.catat_pembayaran(
                kode_billing=kode, ntpn=NTPN, nominal=nominal, bpe="B", sekarang=wib(2025, 6, 12)
            )
        assert refused.value.code == "kode_billing_tidak_sesuai"
    assert kewajiban.status_spt == MENUNGGU_PEMBAYARAN


def test_an_expired_code_is_replaced_by_a_new_one():
    kewajiban = _menunggu()
    kewajiban.minta_pembayaran(kode_billing=KODE_2)
    assert (kewajiban.kode_billing, kewajiban.pending[-1].nominal) == (KODE_2, 2_200_000)


def test_redrafting_drops_the_pending_billing_code():
    kewajiban = _menunggu()
    kewajiban.susun_spt(pajak_terutang=2_000_000, kredit_pajak=0, sekarang=wib(2025, 6, 11))
    assert (kewajiban.status_spt, kewajiban.kode_billing) == (DRAF, "")
    with pytest.raises(InvalidState) as refused:
        kewajiban.catat_pembayaran(
            kode_billing=KODE, ntpn=NTPN, nominal=2_200_000, bpe="B", sekarang=wib(2025, 6, 12)
        )
    assert refused.value.code == "tahap_spt_salah"


def test_an_amendment_pays_only_what_the_filed_return_did_not():
    kewajiban = _menunggu()
    kewajiban.catat_pembayaran(
        kode_billing=KODE, ntpn=NTPN, nominal=2_200_000, bpe="BPE-1", sekarang=wib(2025, 6, 12)
    )
    kewajiban.susun_spt(pajak_terutang=2_500_000, kredit_pajak=0, sekarang=wib(2025, 7, 1))
    assert kewajiban.pending[-1].pembetulan_ke == 1
    assert kewajiban.pending[-1].kurang_bayar == 300_000
    kewajiban.minta_pembayaran(kode_billing=KODE_2)
    kewajiban.catat_pembayaran(
        kode_billing=KODE_2, ntpn=NTPN_2, nominal=300_000, bpe="BPE-2", sekarang=wib(2025, 7, 2)
    )
    assert kewajiban.pending[-1] == SPTPembetulanDilaporkan(
        pembetulan_ke=1, bpe="BPE-2", dilaporkan_pada=wib(2025, 7, 2), ntpn=NTPN_2, dibayar=300_000
    )
    assert kewajiban.dibayar == 2_500_000


def test_an_overpaid_amendment_is_filed_at_once():
    kewajiban = _timbul()
    kewajiban.susun_spt(pajak_terutang=0, kredit_pajak=0, sekarang=wib(2025, 6, 10))
    kewajiban.laporkan_spt(bpe="BPE-1", sekarang=wib(2025, 6, 10))
    kewajiban.susun_spt(pajak_terutang=100_000, kredit_pajak=150_000, sekarang=wib(2025, 7, 1))
    assert kewajiban.kurang_bayar == -50_000
    kewajiban.laporkan_spt(bpe="BPE-2", sekarang=wib(2025, 7, 1))
    assert kewajiban.pending[-1] == SPTPembetulanDilaporkan(
        pembetulan_ke=1, bpe="BPE-2", dilaporkan_pada=wib(2025, 7, 1)
    )


def test_return_steps_out_of_order_are_refused():
    kewajiban = Kewajiban(uuid.uuid4())
    with pytest.raises(InvalidState) as refused:
        kewajiban.susun_spt(pajak_terutang=0, kredit_pajak=0, sekarang=wib(2025, 6, 10))
    assert refused.value.code == "belum_ada_kewajiban"
    kewajiban = _timbul()
    with pytest.raises(InvalidState) as refused:
        kewajiban.laporkan_spt(bpe="BPE-1", sekarang=wib(2025, 6, 10))
    assert refused.value.code == "tahap_spt_salah"
    with pytest.raises(InvalidState) as refused:
        kewajiban.minta_pembayaran(kode_billing=KODE)
    assert refused.value.code == "tahap_spt_salah"
    with pytest.raises(InvalidInput) as refused:
        kewajiban.susun_spt(pajak_terutang=-1, kredit_pajak=0, sekarang=wib(2025, 6, 10))
    assert refused.value.code == "pajak_tidak_valid"
    assert len(kewajiban.pending) == 1


# --- the late-filing fine ------------------------------------------------------------------
def test_no_fine_until_the_deadline_has_passed():
    kewajiban = _timbul()  # file by 20 June 2025
    assert (
        kewajiban.periksa_tenggat_lapor(hari_ini=date(2025, 6, 20), konfigurasi=KONFIGURASI)
        is False
    )
    assert len(kewajiban.pending) == 1


def test_a_fine_once_the_deadline_passed_without_a_return_and_only_one():
    kewajiban = _timbul()
    assert kewajiban.periksa_tenggat_lapor(hari_ini=date(2025, 6, 21), konfigurasi=KONFIGURASI)
    assert (
        kewajiban.periksa_tenggat_lapor(hari_ini=date(2025, 6, 22), konfigurasi=KONFIGURASI)
        is False
    )
    assert kewajiban.pending[1:] == [
        SanksiDendaDitetapkan(
            jenis_spt="SPT_MASA_LAIN",
            nominal=100_000,
            jatuh_tempo_lapor=date(2025, 6, 20),
            dasar_hukum=UU_KUP,
            ditetapkan_pada=date(2025, 6, 21),
        )
    ]


def test_a_return_filed_at_23_59_on_the_deadline_day_in_jakarta_is_on_time():
    kewajiban = _timbul()
    kewajiban.susun_spt(pajak_terutang=0, kredit_pajak=0, sekarang=wib(2025, 6, 20, 23, 0))
    kewajiban.laporkan_spt(bpe="BPE-1", sekarang=wib(2025, 6, 20, 23, 59, 59))
    assert (
        kewajiban.periksa_tenggat_lapor(hari_ini=date(2025, 6, 25), konfigurasi=KONFIGURASI)
        is False
    )


def test_a_return_filed_after_the_deadline_is_fined_all_the_same():
    kewajiban = _timbul()
    kewajiban.susun_spt(pajak_terutang=0, kredit_pajak=0, sekarang=wib(2025, 6, 21, 0, 30))
    kewajiban.laporkan_spt(bpe="BPE-1", sekarang=wib(2025, 6, 21, 0, 30))
    assert kewajiban.periksa_tenggat_lapor(hari_ini=date(2025, 6, 25), konfigurasi=KONFIGURASI)
    assert kewajiban.pending[-1].nominal == 100_000


@pytest.mark.parametrize(
    ("jenis", "masa", "wp", "jenis_spt", "nominal", "hari_ini"),
    [
        ("PPN", "2025-05", lambda: badan(pkp=True), "SPT_MASA_PPN", 500_000, date(2025, 7, 1)),
        ("PPH_BADAN", "2024", badan, "SPT_TAHUNAN_BADAN", 1_000_000, date(2025, 5, 1)),
        ("PPH_OP", "2024", orang_pribadi, "SPT_TAHUNAN_OP", 100_000, date(2025, 4, 9)),
    ],
)
def test_the_fine_follows_the_kind_of_return(jenis, masa, wp, jenis_spt, nominal, hari_ini):
    kewajiban = _timbul(jenis, masa, wp=wp())
    assert kewajiban.periksa_tenggat_lapor(hari_ini=hari_ini, konfigurasi=KONFIGURASI)
    denda = kewajiban.pending[-1]
    assert (denda.jenis_spt, denda.nominal) == (jenis_spt, nominal)


def test_replay_rebuilds_the_obligation_from_its_events():
    kewajiban = _menunggu()
    kewajiban.catat_pembayaran(
        kode_billing=KODE, ntpn=NTPN, nominal=2_200_000, bpe="BPE-1", sekarang=wib(2025, 6, 12)
    )
    stored = [
        type(e).from_payload(e.to_payload()) for e in kewajiban.collect()
    ]  # as the store reloads them
    again = Kewajiban.rehydrate(kewajiban.id, stored)
    assert (again.status_spt, again.dibayar, again.ntpn, again.jatuh_tempo_lapor) == (
        DILAPORKAN,
        2_200_000,
        {NTPN},
        date(2025, 6, 20),
    )
