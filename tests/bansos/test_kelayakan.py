"""Eligibility: every rule with its stable code and Indonesian reason, all failures returned
at once, flags that do not fail, duplicates by NIK and by KK per programme and period."""

import dataclasses

import pytest

from apps.bansos.domain.kelayakan import (
    Anggota,
    HasilKelayakan,
    PenerimaTercatat,
    StatusIdentitas,
    Temuan,
    periksa_kelayakan,
)
from apps.bansos.domain.konfigurasi import BLT_2025, BPNT_2025, PKH_2025
from apps.bansos.domain.rules import (
    ASN,
    BLT,
    BPNT,
    GANDA,
    MENINGGAL,
    MSG_BUKAN_ANGGOTA_KK,
    MSG_DESIL_BELUM_DIPADANKAN,
    MSG_DESIL_DI_ATAS_BATAS,
    MSG_DIKECUALIKAN,
    MSG_GANDA_KK,
    MSG_GANDA_NIK,
    MSG_MENINGGAL,
    MSG_NIK_BELUM_TERVERIFIKASI,
    MSG_NIK_DI_BANYAK_KK,
    MSG_NIK_NONAKTIF,
    MSG_REKENING_BERSAMA,
    MSG_TUMPANG_TINDIH,
    PEMILIK_USAHA,
    PKH,
    POLRI,
    TNI,
    Periode,
)
from egov.contracts.ktp import NONAKTIF, VERIFIED
from tests.bansos.factories import (
    ANAK_SD,
    ANAK_SMP,
    AYAH,
    IBU,
    KK,
    KONFIGURASI,
    USULAN_ID,
    data_usulan,
    fakta,
    h,
    penerima_lain,
)

TW1 = Periode.parse("2025-TW1")
SEMUA_ATURAN_PKH = (
    "nik_belum_terverifikasi",
    "nik_nonaktif",
    "meninggal",
    "nik_di_banyak_kk",
    "bukan_anggota_kk",
    "ganda_nik",
    "ganda_kk",
    "dikecualikan",
    "desil_di_atas_batas",
    "tumpang_tindih_program",
)


def _periksa(f, *, program=PKH_2025, periode=TW1, usulan=None) -> HasilKelayakan:
    usulan = usulan or data_usulan(program=program.kode)
    lain = KONFIGURASI.tidak_bersama(program.kode, periode.awal)
    return periksa_kelayakan(usulan, f, program, periode, tidak_bersama=lain)


def test_a_clean_household_is_eligible_and_every_rule_was_checked():
    hasil = _periksa(fakta())
    assert hasil == HasilKelayakan(PKH, "2025-TW1", SEMUA_ATURAN_PKH, (), (), 2)
    assert hasil.layak
    assert hasil.lolos == SEMUA_ATURAN_PKH


@pytest.mark.parametrize(
    ("identitas", "kode", "alasan"),
    [
        (None, "nik_belum_terverifikasi", MSG_NIK_BELUM_TERVERIFIKASI),
        (StatusIdentitas("DIAJUKAN"), "nik_belum_terverifikasi", MSG_NIK_BELUM_TERVERIFIKASI),
        (StatusIdentitas(NONAKTIF, GANDA), "nik_nonaktif", MSG_NIK_NONAKTIF),
        (StatusIdentitas(NONAKTIF, MENINGGAL), "meninggal", MSG_MENINGGAL),
    ],
)
def test_identity_rules_name_the_member(identitas, kode, alasan):
    f = fakta()
    status = dict(f.identitas)
    if identitas is None:
        del status[ANAK_SMP]
    else:
        status[ANAK_SMP] = identitas
    hasil = _periksa(dataclasses.replace(f, identitas=status))
    assert hasil.gagal == (Temuan(kode, alasan, ANAK_SMP),)
    assert not hasil.layak
    assert kode not in hasil.lolos


def test_a_nik_in_two_kks_fails_and_a_nik_outside_the_kk_fails():
    f = fakta()
    kk = dict(f.kk) | {AYAH: frozenset({KK, h("kk-lain")}), ANAK_SD: frozenset({h("kk-lain")})}
    hasil = _periksa(dataclasses.replace(f, kk=kk))
    assert hasil.gagal == (
        Temuan("nik_di_banyak_kk", MSG_NIK_DI_BANYAK_KK, AYAH),
        Temuan("bukan_anggota_kk", MSG_BUKAN_ANGGOTA_KK, ANAK_SD),
    )


def test_a_nik_with_no_kk_record_is_not_a_member_of_the_kk():
    f = fakta()
    kk = {k: v for k, v in f.kk.items() if k != IBU}
    assert _periksa(dataclasses.replace(f, kk=kk)).gagal == (
        Temuan("bukan_anggota_kk", MSG_BUKAN_ANGGOTA_KK, IBU),
    )


def test_duplicate_by_nik_in_another_household_of_the_same_programme_and_period():
    lain = penerima_lain(PKH, "2025-TW1", anggota={ANAK_SD, h("orang-lain")})
    hasil = _periksa(fakta(penerima=(lain,)))
    assert hasil.gagal == (Temuan("ganda_nik", MSG_GANDA_NIK, ANAK_SD),)


def test_duplicate_by_kk_in_the_same_programme_and_period():
    lain = penerima_lain(PKH, "2025-TW1", kk=KK, anggota={h("orang-lain")})
    assert _periksa(fakta(penerima=(lain,))).gagal == (Temuan("ganda_kk", MSG_GANDA_KK),)


def test_the_same_household_in_another_period_or_programme_is_no_duplicate():
    f = fakta(
        penerima=(
            penerima_lain(PKH, "2024-TW4", kk=KK, anggota={IBU}),
            penerima_lain(PKH, "2025-04", kk=KK, anggota={IBU}),
            penerima_lain(BPNT, "2025-02", kk=KK, anggota={IBU}),  # PKH and BPNT may combine
        )
    )
    assert _periksa(f).layak


def test_its_own_record_is_not_a_duplicate_of_itself():
    sendiri = PenerimaTercatat(USULAN_ID, PKH, "2025-TW1", KK, frozenset({IBU, ANAK_SD}))
    assert _periksa(fakta(penerima=(sendiri,))).layak


def test_a_monthly_recipient_inside_the_quarter_is_a_duplicate_of_it():
    lain = penerima_lain(BPNT, "2025-02", kk=KK)
    hasil = _periksa(fakta(penerima=(lain,)), program=BPNT_2025, periode=Periode.parse("2025-02"))
    assert hasil.kode_gagal == ("ganda_kk",)


def test_a_person_programme_deduplicates_by_nik_only():
    perorangan = dataclasses.replace(BPNT_2025, jenis="PERORANGAN")
    lain = penerima_lain(BPNT, "2025-02", kk=KK, anggota={h("kakak")})
    usulan = data_usulan(program=BPNT, anggota=(Anggota(IBU),))
    hasil = _periksa(
        fakta((Anggota(IBU),), penerima=(lain,)),
        program=perorangan,
        periode=Periode.parse("2025-02"),
        usulan=usulan,
    )
    assert hasil.layak
    assert "ganda_kk" not in hasil.diperiksa


@pytest.mark.parametrize("kategori", [ASN, TNI, POLRI, PEMILIK_USAHA])
def test_a_member_on_an_exclusion_list_excludes_the_household(kategori):
    hasil = _periksa(fakta(pengecualian={AYAH: frozenset({kategori})}))
    assert hasil.gagal == (Temuan("dikecualikan", MSG_DIKECUALIKAN, AYAH),)


def test_an_exclusion_category_the_programme_does_not_name_does_not_exclude():
    program = dataclasses.replace(PKH_2025, pengecualian=(ASN, TNI, POLRI))
    hasil = _periksa(fakta(pengecualian={AYAH: frozenset({PEMILIK_USAHA})}), program=program)
    assert hasil.layak


def test_a_decile_above_the_threshold_fails():
    assert _periksa(fakta(desil=4)).layak
    hasil = _periksa(fakta(desil=5))
    assert hasil.gagal == (Temuan("desil_di_atas_batas", MSG_DESIL_DI_ATAS_BATAS),)
    assert hasil.desil == 5


def test_dtsen_decile_wins_over_the_proposal_and_an_unmatched_one_is_flagged():
    usulan = data_usulan()  # the village wrote decile 2
    assert _periksa(fakta(desil=6), usulan=usulan).kode_gagal == ("desil_di_atas_batas",)
    hasil = _periksa(fakta(desil=None), usulan=usulan)
    assert hasil.layak
    assert hasil.desil == 2
    assert hasil.tinjau == (Temuan("desil_belum_dipadankan", MSG_DESIL_BELUM_DIPADANKAN),)


def test_blt_may_not_be_received_with_pkh_or_bpnt_in_an_overlapping_period():
    pkh = penerima_lain(PKH, "2025-TW1", kk=KK)
    hasil = _periksa(fakta(penerima=(pkh,)), program=BLT_2025, periode=Periode.parse("2025-03"))
    assert hasil.gagal == (Temuan("tumpang_tindih_program", MSG_TUMPANG_TINDIH),)


def test_the_overlap_rule_binds_from_the_other_side_and_by_nik():
    blt = penerima_lain(BLT, "2025-02", anggota={ANAK_SD})  # the child moved KK
    hasil = _periksa(fakta(penerima=(blt,)))  # PKH's own row names no programme
    assert hasil.kode_gagal == ("tumpang_tindih_program",)


def test_a_shared_bank_account_is_flagged_not_failed():
    hasil = _periksa(fakta(rekening_bersama=2))
    assert hasil.layak
    assert hasil.tinjau == (Temuan("rekening_bersama", MSG_REKENING_BERSAMA, IBU),)
    assert hasil.kode_tinjau == ("rekening_bersama",)


def test_every_failure_is_returned_at_once():
    f = fakta(
        identitas={IBU: StatusIdentitas(VERIFIED), AYAH: StatusIdentitas(NONAKTIF, MENINGGAL)},
        pengecualian={IBU: frozenset({ASN})},
        desil=7,
        penerima=(penerima_lain(PKH, "2025-TW1", kk=KK, anggota={IBU}),),
    )
    hasil = _periksa(f)
    assert hasil.kode_gagal == (
        "meninggal",
        "nik_belum_terverifikasi",
        "ganda_nik",
        "ganda_kk",
        "dikecualikan",
        "desil_di_atas_batas",
    )
    assert [t.nik_hash for t in hasil.gagal] == [AYAH, ANAK_SD, ANAK_SMP, IBU, "", IBU, ""]
    assert hasil.lolos == (
        "nik_nonaktif",
        "nik_di_banyak_kk",
        "bukan_anggota_kk",
        "tumpang_tindih_program",
    )


def test_findings_carry_hashes_never_a_clear_nik():
    hasil = _periksa(fakta(identitas={}))
    assert [t.nik_hash for t in hasil.gagal] == [IBU, AYAH, ANAK_SD, ANAK_SMP]
