"""Proposals: proposed -> verified (every rule recorded) -> decided only when eligible and by
someone other than the proposer, or rejected. Exact events; refusals write nothing."""

import dataclasses
import uuid

import pytest

from apps.bansos.domain.events import (
    PenerimaDitetapkan,
    UsulanDitolak,
    UsulanDiverifikasi,
    UsulanPenerimaDiajukan,
)
from apps.bansos.domain.kelayakan import Anggota, StatusIdentitas
from apps.bansos.domain.penerima import Penerima
from apps.bansos.domain.rules import (
    AKTIF,
    BLT,
    BPNT,
    DIAJUKAN,
    DITOLAK,
    DIVERIFIKASI,
    MENINGGAL,
    PKH,
    SD,
    SMP,
)
from apps.bansos.domain.usulan import TidakLayak, Usulan
from egov.contracts.ktp import NONAKTIF
from egov.eventstore.domain import InvalidInput, InvalidState
from tests.bansos.factories import (
    ANAK_SD,
    ANAK_SMP,
    AYAH,
    DESA,
    DINSOS,
    IBU,
    KELUARGA,
    KK,
    KODE_DESA,
    KONFIGURASI,
    USULAN_ID,
    fakta,
    h,
    usulan_diajukan,
    wib,
)

SK = "SK Kadinsos Kota Bandung 460/12/2025"


def test_a_proposal_records_the_household_with_hashes_only():
    usulan = usulan_diajukan()
    assert usulan.pending == [
        UsulanPenerimaDiajukan(
            usulan_id=USULAN_ID,
            program=PKH,
            periode="2025-TW1",
            nomor_kk_hash=KK,
            pengurus_nik_hash=IBU,
            anggota=((IBU, ""), (AYAH, ""), (ANAK_SD, SD), (ANAK_SMP, SMP)),
            desil=2,
            kode_wilayah=KODE_DESA,
            diajukan_oleh=DESA,
            diajukan_pada=wib(2025, 1, 6, 9, 0),
        )
    ]
    assert usulan.status == DIAJUKAN
    [event] = usulan.pending
    assert UsulanPenerimaDiajukan.from_payload(event.to_payload()) == event
    assert event.personal_fields == ("anggota", "desil")
    assert event.data_subject() == IBU


def _ajukan(**changes):
    values = {
        "program": PKH,
        "periode": "2025-TW1",
        "nomor_kk_hash": KK,
        "pengurus_nik_hash": IBU,
        "anggota": KELUARGA,
        "desil": 2,
        "kode_wilayah": KODE_DESA,
        "diajukan_oleh": DESA,
        "sekarang": wib(2025, 1, 6),
        "konfigurasi": KONFIGURASI,
    } | changes
    usulan = Usulan(uuid.uuid4())
    usulan.ajukan(**values)
    return usulan


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"periode": "2025-03"}, "periode_tidak_sesuai"),  # PKH is quarterly
        ({"program": BPNT, "periode": "2025-TW1"}, "periode_tidak_sesuai"),
        ({"periode": "2025-Q1"}, "periode_tidak_valid"),
        ({"nomor_kk_hash": "3273010101010001"}, "hash_tidak_valid"),  # a clear KK number
        ({"pengurus_nik_hash": h("orang-lain")}, "pengurus_bukan_anggota"),
        ({"anggota": ()}, "anggota_kosong"),
        ({"anggota": (Anggota(IBU), Anggota(IBU, SD))}, "anggota_ganda"),
        ({"anggota": (Anggota(IBU), Anggota("3273015708850001"))}, "hash_tidak_valid"),
        ({"anggota": (Anggota(IBU, "KULIAH"),)}, "komponen_tidak_dikenal"),
        (
            {"program": BPNT, "periode": "2025-02", "anggota": (Anggota(IBU, SD),)},
            "komponen_tidak_dikenal",
        ),
        ({"desil": 0}, "desil_tidak_valid"),
        ({"desil": 11}, "desil_tidak_valid"),
        ({"kode_wilayah": "3273"}, "kode_wilayah_tidak_valid"),
        ({"diajukan_oleh": " "}, "diajukan_oleh_wajib"),
    ],
)
def test_malformed_proposals_are_refused(changes, code):
    with pytest.raises(InvalidInput) as refused:
        _ajukan(**changes)
    assert refused.value.code == code


def test_a_proposal_for_a_period_without_a_programme_in_force_is_refused():
    with pytest.raises(InvalidState) as refused:
        _ajukan(periode="2024-TW4")
    assert refused.value.code == "aturan_tidak_ada"


def test_proposing_twice_on_one_stream_is_refused():
    usulan = usulan_diajukan()
    with pytest.raises(InvalidState) as refused:
        usulan.ajukan(
            program=PKH,
            periode="2025-TW1",
            nomor_kk_hash=KK,
            pengurus_nik_hash=IBU,
            anggota=KELUARGA,
            desil=2,
            kode_wilayah=KODE_DESA,
            diajukan_oleh=DESA,
            sekarang=wib(2025, 1, 6),
            konfigurasi=KONFIGURASI,
        )
    assert refused.value.code == "usulan_sudah_ada"
    assert len(usulan.pending) == 1


def test_verification_records_every_rule_passed_failed_and_flagged():
    usulan = usulan_diajukan()
    usulan.collect()
    f = fakta(
        identitas=fakta().identitas | {ANAK_SD: StatusIdentitas(NONAKTIF, MENINGGAL)},
        desil=None,
    )
    hasil = usulan.verifikasi(
        fakta=f, konfigurasi=KONFIGURASI, oleh=DINSOS, sekarang=wib(2025, 1, 7)
    )
    assert not hasil.layak
    assert usulan.pending == [
        UsulanDiverifikasi(
            usulan_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            layak=False,
            lolos=(
                "nik_belum_terverifikasi",
                "nik_nonaktif",
                "nik_di_banyak_kk",
                "bukan_anggota_kk",
                "ganda_nik",
                "ganda_kk",
                "dikecualikan",
                "desil_di_atas_batas",
                "tumpang_tindih_program",
            ),
            gagal=("meninggal",),
            tinjau=("desil_belum_dipadankan",),
            temuan=(("meninggal", ANAK_SD), ("desil_belum_dipadankan", "")),
            desil=2,
            diverifikasi_oleh=DINSOS,
            diverifikasi_pada=wib(2025, 1, 7),
        )
    ]
    [event] = usulan.pending
    assert UsulanDiverifikasi.from_payload(event.to_payload()) == event
    assert usulan.status == DIVERIFIKASI


def _terverifikasi(f=None) -> Penerima:
    usulan = usulan_diajukan()
    usulan.verifikasi(
        fakta=f or fakta(), konfigurasi=KONFIGURASI, oleh="sistem", sekarang=wib(2025, 1, 7)
    )
    usulan.collect()
    return usulan


def test_an_eligible_household_is_decided_by_another_officer():
    usulan = _terverifikasi()
    usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 8, 10, 0))
    assert usulan.pending == [
        PenerimaDitetapkan(
            penerima_id=USULAN_ID,
            program=PKH,
            periode="2025-TW1",
            nomor_kk_hash=KK,
            pengurus_nik_hash=IBU,
            anggota=(IBU, AYAH, ANAK_SD, ANAK_SMP),
            komponen=(SD, SMP),
            dasar_hukum=SK,
            ditetapkan_oleh=DINSOS,
            ditetapkan_pada=wib(2025, 1, 8, 10, 0),
        )
    ]
    assert usulan.status == AKTIF


def test_a_plain_usulan_decides_and_knows_the_decision():
    usulan = Usulan.rehydrate(USULAN_ID, usulan_diajukan().pending)
    usulan.verifikasi(
        fakta=fakta(), konfigurasi=KONFIGURASI, oleh="sistem", sekarang=wib(2025, 1, 7)
    )
    usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 8))
    assert (usulan.status, usulan.komponen, usulan.periode_mulai) == (AKTIF, (SD, SMP), "2025-TW1")


def test_the_proposer_may_not_decide_four_eyes():
    usulan = _terverifikasi()
    with pytest.raises(InvalidState) as refused:
        usulan.tetapkan(dasar_hukum=SK, oleh=DESA, sekarang=wib(2025, 1, 8))
    assert refused.value.code == "empat_mata"
    assert usulan.pending == []


def test_an_ineligible_household_is_refused_with_its_failed_codes():
    f = fakta(desil=6, pengecualian={AYAH: frozenset({"TNI"})})
    usulan = _terverifikasi(f)
    with pytest.raises(TidakLayak) as refused:
        usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 8))
    assert refused.value.code == "tidak_layak"
    assert refused.value.gagal == ("dikecualikan", "desil_di_atas_batas")
    assert refused.value.message == (
        "Tidak memenuhi syarat kelayakan: dikecualikan, desil_di_atas_batas."
    )
    assert usulan.pending == []


def test_a_household_verified_again_after_a_fix_can_be_decided():
    usulan = _terverifikasi(fakta(desil=6))
    usulan.verifikasi(
        fakta=fakta(), konfigurasi=KONFIGURASI, oleh="sistem", sekarang=wib(2025, 1, 9)
    )
    usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 9))
    assert [type(e) for e in usulan.pending] == [UsulanDiverifikasi, PenerimaDitetapkan]


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"dasar_hukum": ""}, "dasar_hukum_wajib"), ({"oleh": ""}, "ditetapkan_oleh_wajib")],
)
def test_a_decision_needs_its_decree_and_its_officer(changes, code):
    usulan = _terverifikasi()
    with pytest.raises(InvalidInput) as refused:
        usulan.tetapkan(
            **({"dasar_hukum": SK, "oleh": DINSOS, "sekarang": wib(2025, 1, 8)} | changes)
        )
    assert refused.value.code == code


def test_an_unverified_proposal_cannot_be_decided():
    usulan = usulan_diajukan()
    with pytest.raises(InvalidState) as refused:
        usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 8))
    assert refused.value.code == "tahap"


def test_a_rejected_proposal_is_final():
    usulan = _terverifikasi(fakta(desil=9))
    usulan.tolak(alasan="Desil 9 menurut DTSEN.", oleh=DINSOS, sekarang=wib(2025, 1, 8))
    assert usulan.pending == [
        UsulanDitolak(
            usulan_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            alasan="Desil 9 menurut DTSEN.",
            ditolak_oleh=DINSOS,
            ditolak_pada=wib(2025, 1, 8),
        )
    ]
    assert usulan.status == DITOLAK
    with pytest.raises(InvalidState) as refused:
        usulan.verifikasi(
            fakta=fakta(), konfigurasi=KONFIGURASI, oleh="s", sekarang=wib(2025, 1, 9)
        )
    assert refused.value.code == "tahap"
    with pytest.raises(InvalidState):
        usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 9))


def test_a_decided_household_cannot_be_rejected_or_decided_again():
    usulan = _terverifikasi()
    usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 8))
    for aksi in (
        lambda: usulan.tolak(alasan="x", oleh=DINSOS, sekarang=wib(2025, 1, 9)),
        lambda: usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 9)),
    ):
        with pytest.raises(InvalidState) as refused:
            aksi()
        assert refused.value.code == "tahap"


def test_the_stream_replays_from_stored_payloads_to_the_same_state():
    usulan = usulan_diajukan()
    usulan.verifikasi(
        fakta=fakta(), konfigurasi=KONFIGURASI, oleh="sistem", sekarang=wib(2025, 1, 7)
    )
    usulan.tetapkan(dasar_hukum=SK, oleh=DINSOS, sekarang=wib(2025, 1, 8))
    ditulis = usulan.collect()
    dibaca = [type(e).from_payload(e.to_payload()) for e in ditulis]
    assert dibaca == ditulis
    dimuat = Penerima.rehydrate(USULAN_ID, dibaca)
    assert (dimuat.status, dimuat.komponen, dimuat.anggota, dimuat.version) == (
        AKTIF,
        (SD, SMP),
        usulan.anggota,
        3,
    )


def test_blt_is_monthly_and_flat():
    usulan = _ajukan(program=BLT, periode="2025-03", anggota=(Anggota(IBU), Anggota(AYAH)))
    assert usulan.program == BLT
    assert dataclasses.asdict(usulan.data)["anggota"] == (
        {"nik_hash": IBU, "komponen": ""},
        {"nik_hash": AYAH, "komponen": ""},
    )
