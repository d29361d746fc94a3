"""Proposal, verification, decision, rejection and suspension on bansos's aliases. Every
refusal has its code and appends nothing; duplicates by NIK and by KK are refused at the
decision, and the decision is four-eyes."""

import dataclasses

import pytest

from apps.bansos import commands
from apps.bansos.domain.events import (
    PenerimaDitangguhkan,
    PenerimaDitetapkan,
    UsulanDitolak,
    UsulanDiverifikasi,
    UsulanPenerimaDiajukan,
)
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.rules import SD
from apps.bansos.domain.usulan import TidakLayak
from apps.bansos.models import IndeksAnggota, IndeksPenerima
from egov import clock
from egov.eventstore.domain import DomainError, InvalidInput, InvalidState
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import AccessDenied, NotVisible
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_SD,
    ANAK_SMP,
    AYAH,
    BANK,
    DIAJUKAN_PADA,
    DINSOS,
    DINSOS_JATIM,
    DITETAPKAN_PADA,
    DIVERIFIKASI_PADA,
    IBU,
    IBU_B,
    KELUARGA,
    KK,
    KK_B,
    KODE_DESA,
    NIK_IBU,
    NIK_IBU_B,
    NIK_KELUARGA,
    OPERATOR_DESA,
    PETUGAS_LAIN,
    SK,
    WARGA,
    ajukan,
    event_stream,
    jalankan_policy,
    jenis_event,
    konfigurasi,
    meta,
    metadata_terakhir,
    penerima,
    refused,
    tetapkan,
    verifikasi,
    verifikasi_ktp,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
TINJAU_DESIL = (("desil_belum_dipadankan", ""),)
LOLOS = (
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


def ajukan_dengan(**overrides):
    values = {
        "principal": OPERATOR_DESA,
        "program": "PKH",
        "periode": "2025-TW1",
        "nomor_kk_hash": KK,
        "pengurus_nik_hash": IBU,
        "anggota": KELUARGA,
        "desil": 2,
        "kode_wilayah": KODE_DESA,
        "metadata": meta(OPERATOR_DESA),
    }
    return commands.bansos_ajukan_usulan(**{**values, **overrides})


# --- proposal ----------------------------------------------------------------------------------
def test_a_village_officer_proposes_a_household():
    usulan_id = ajukan()

    assert event_stream(usulan_id) == [
        UsulanPenerimaDiajukan(
            usulan_id=usulan_id,
            program="PKH",
            periode="2025-TW1",
            nomor_kk_hash=KK,
            pengurus_nik_hash=IBU,
            anggota=((IBU, ""), (AYAH, ""), (ANAK_SD, "SD"), (ANAK_SMP, "SMP")),
            desil=2,
            kode_wilayah=KODE_DESA,
            diajukan_oleh="operator-desa-braga",
            diajukan_pada=DIAJUKAN_PADA,
            diajukan_oleh_id="user:operator-desa-braga",
        )
    ]
    metadata = metadata_terakhir(usulan_id)
    assert (metadata["actor"], metadata["correlation_id"], metadata["principal_id"]) == (
        "operator-desa-braga",
        "korelasi-uji",
        "user:operator-desa-braga",
    )
    row = IndeksPenerima.objects.get()
    assert (row.penerima_id, row.program, row.periode, row.nomor_kk_hash, row.status) == (
        usulan_id,
        "PKH",
        "2025-TW1",
        KK,
        "DIAJUKAN",
    )
    assert sorted(IndeksAnggota.objects.values_list("nik_hash", "nomor_kk_hash")) == sorted(
        (a.nik_hash, KK) for a in KELUARGA
    )


@pytest.mark.parametrize(
    ("principal", "code"),
    [(WARGA, "bukan_petugas"), (PETUGAS_LAIN, "bukan_petugas"), (BANK, "bukan_petugas")],
)
def test_only_a_kemensos_officer_proposes(principal, code):
    refused(AccessDenied, code, ajukan_dengan, principal=principal)


def test_an_officer_of_another_region_is_refused():
    refused(AccessDenied, "luar_wilayah", ajukan_dengan, principal=DINSOS_JATIM)


def test_a_nik_in_clear_never_reaches_an_event():
    refused(InvalidInput, "hash_tidak_valid", ajukan_dengan, pengurus_nik_hash=NIK_IBU)
    anggota = (Anggota(IBU), Anggota(NIK_IBU_B, SD))
    refused(InvalidInput, "hash_tidak_valid", ajukan_dengan, anggota=anggota)


def test_a_door_hashes_a_clear_nik_with_the_keyed_hash():
    assert commands.nik_hash(f" {NIK_IBU} ") == keyed_hash(NIK_IBU)
    with pytest.raises(InvalidInput) as raised:
        commands.nik_hash("1234")
    assert raised.value.code == "nik_tidak_valid"


def test_a_period_outside_the_programmes_schedule_is_refused():
    refused(InvalidInput, "periode_tidak_sesuai", ajukan_dengan, periode="2025-03")


# --- verification ------------------------------------------------------------------------------
def test_verification_on_the_replicas_records_every_rule():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    usulan_id = ajukan()

    hasil = verifikasi(usulan_id)

    assert hasil.layak
    assert event_stream(usulan_id)[-1] == UsulanDiverifikasi(
        usulan_id=usulan_id,
        pengurus_nik_hash=IBU,
        layak=True,
        lolos=LOLOS,
        gagal=(),
        tinjau=("desil_belum_dipadankan",),
        temuan=TINJAU_DESIL,
        desil=2,
        diverifikasi_oleh="dinsos-bandung-1",
        diverifikasi_pada=DIVERIFIKASI_PADA,
    )
    assert IndeksPenerima.objects.get().status == "DIVERIFIKASI"


def test_a_failed_verification_is_recorded_with_the_members_concerned():
    verifikasi_ktp(NIK_IBU)  # the other three are unknown to Dukcapil's replica
    jalankan_policy()
    usulan_id = ajukan()

    hasil = verifikasi(usulan_id)

    event = event_stream(usulan_id)[-1]
    assert (hasil.layak, event.layak, event.gagal) == (False, False, ("nik_belum_terverifikasi",))
    assert event.temuan == (
        ("nik_belum_terverifikasi", AYAH),
        ("nik_belum_terverifikasi", ANAK_SD),
        ("nik_belum_terverifikasi", ANAK_SMP),
        *TINJAU_DESIL,
    )


def test_verifying_an_unknown_proposal_is_not_visible():
    import uuid

    refused(NotVisible, "tidak_ditemukan", verifikasi, uuid.uuid4())


# --- decision ----------------------------------------------------------------------------------
def test_a_verified_household_is_decided_a_recipient():
    usulan_id = penerima()

    assert jenis_event(usulan_id) == [
        "UsulanPenerimaDiajukan",
        "UsulanDiverifikasi",
        "PenerimaDitetapkan",
    ]
    assert event_stream(usulan_id)[-1] == PenerimaDitetapkan(
        penerima_id=usulan_id,
        program="PKH",
        periode="2025-TW1",
        nomor_kk_hash=KK,
        pengurus_nik_hash=IBU,
        anggota=(IBU, AYAH, ANAK_SD, ANAK_SMP),
        komponen=("SD", "SMP"),
        dasar_hukum=SK,
        ditetapkan_oleh="dinsos-bandung-1",
        ditetapkan_pada=DITETAPKAN_PADA,
    )
    assert IndeksPenerima.objects.get().status == "AKTIF"


def test_the_proposer_may_not_decide():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    usulan_id = ajukan()
    verifikasi(usulan_id, oleh=OPERATOR_DESA)
    refused(InvalidState, "empat_mata", tetapkan, usulan_id, oleh=OPERATOR_DESA)


# Four eyes tell officers apart by principal id: a display name is neither unique nor stable.
SENAMA = dataclasses.replace(DINSOS, id="user:another-officer", name=OPERATOR_DESA.name)
GANTI_NAMA = dataclasses.replace(OPERATOR_DESA, name="Operator Desa Braga (baru)")


def test_another_officer_sharing_the_proposers_display_name_may_decide():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    usulan_id = ajukan()
    verifikasi(usulan_id)

    tetapkan(usulan_id, oleh=SENAMA)

    assert jenis_event(usulan_id)[-1] == "PenerimaDitetapkan"
    assert event_stream(usulan_id)[-1].ditetapkan_oleh == "operator-desa-braga"
    assert metadata_terakhir(usulan_id)["principal_id"] == "user:another-officer"
    assert event_stream(usulan_id)[0].diajukan_oleh_id == "user:operator-desa-braga"


def test_the_proposer_under_another_display_name_may_not_decide():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    usulan_id = ajukan()
    verifikasi(usulan_id)

    refused(InvalidState, "empat_mata", tetapkan, usulan_id, oleh=GANTI_NAMA)
    assert IndeksPenerima.objects.get(penerima_id=usulan_id).status == "DIVERIFIKASI"


def test_a_proposal_not_verified_is_not_decided():
    usulan_id = ajukan()
    refused(InvalidState, "tahap", tetapkan, usulan_id)


def test_a_failed_verification_is_not_decided():
    usulan_id = ajukan()
    verifikasi(usulan_id)  # no NIK verified by Dukcapil
    error = refused(TidakLayak, "tidak_layak", tetapkan, usulan_id)
    assert error.gagal == ("nik_belum_terverifikasi",)


def test_a_second_household_of_the_same_kk_is_refused_at_decision():
    verifikasi_ktp(*NIK_KELUARGA, NIK_IBU_B)
    jalankan_policy()
    pertama = ajukan()
    kedua = ajukan((Anggota(IBU_B),), kk=KK)  # someone else proposed under the same KK
    verifikasi(pertama)
    assert verifikasi(kedua).layak  # nobody was decided yet
    tetapkan(pertama)

    error = refused(TidakLayak, "tidak_layak", tetapkan, kedua)

    assert error.gagal == ("ganda_kk",)
    assert jenis_event(kedua) == ["UsulanPenerimaDiajukan", "UsulanDiverifikasi"]


def test_a_member_already_receiving_under_another_kk_is_refused_at_decision():
    verifikasi_ktp(*NIK_KELUARGA, NIK_IBU_B)
    jalankan_policy()
    pertama = ajukan()
    kedua = ajukan((Anggota(IBU_B), Anggota(ANAK_SD, SD)), kk=KK_B)
    verifikasi(pertama)
    verifikasi(kedua)
    tetapkan(pertama)

    error = refused(TidakLayak, "tidak_layak", tetapkan, kedua)

    # the child is listed in two KKs, and already receives PKH with the first household
    assert error.gagal == ("nik_di_banyak_kk", "ganda_nik")


def test_a_decision_records_a_new_verification_when_the_replicas_changed():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    usulan_id = ajukan()
    verifikasi(usulan_id)
    from apps.bansos.models import DaftarPengecualian

    DaftarPengecualian.objects.create(nik_hash=AYAH, kategori="ASN", sumber="BKN")
    refused(TidakLayak, "tidak_layak", tetapkan, usulan_id)  # rolled back: nothing recorded
    DaftarPengecualian.objects.all().delete()
    with clock.frozen(wib(2025, 1, 9)):
        commands.bansos_tetapkan_penerima(
            principal=DINSOS, usulan_id=usulan_id, dasar_hukum=SK, metadata=meta(DINSOS)
        )
    assert jenis_event(usulan_id)[-1] == "PenerimaDitetapkan"
    assert len(jenis_event(usulan_id)) == 3  # the facts were as verified: no new verification


def test_unauthorised_principals_may_not_verify_decide_or_reject():
    usulan_id = ajukan()
    for principal in (WARGA, BANK, PETUGAS_LAIN):
        refused(AccessDenied, "bukan_petugas", verifikasi, usulan_id, oleh=principal)
        refused(AccessDenied, "bukan_petugas", tetapkan, usulan_id, oleh=principal)
    refused(AccessDenied, "luar_wilayah", tetapkan, usulan_id, oleh=DINSOS_JATIM)


# --- rejection and suspension ------------------------------------------------------------------
def test_a_proposal_is_rejected_once():
    verifikasi_ktp(*NIK_KELUARGA, NIK_IBU_B)
    jalankan_policy()
    salah = ajukan((Anggota(IBU_B), Anggota(ANAK_SD, SD)), kk=KK_B)
    with clock.frozen(wib(2025, 1, 7, 9)):
        commands.bansos_tolak_usulan(
            principal=DINSOS, usulan_id=salah, alasan="KK keliru", metadata=meta(DINSOS)
        )
    assert event_stream(salah)[-1] == UsulanDitolak(
        usulan_id=salah,
        pengurus_nik_hash=IBU_B,
        alasan="KK keliru",
        ditolak_oleh="dinsos-bandung-1",
        ditolak_pada=wib(2025, 1, 7, 9),
    )
    refused(InvalidState, "tahap", tetapkan, salah)


def test_an_officer_suspends_a_recipient_once():
    usulan_id = penerima()
    with clock.frozen(wib(2025, 2, 1, 9)):
        args = {
            "principal": DINSOS,
            "penerima_id": usulan_id,
            "alasan": "LAINNYA",
            "keterangan": "Pindah domisili",
            "metadata": meta(DINSOS),
        }
        assert commands.bansos_tangguhkan_penerima(**args) is True
        assert commands.bansos_tangguhkan_penerima(**args) is False
    assert event_stream(usulan_id)[-1] == PenerimaDitangguhkan(
        penerima_id=usulan_id,
        pengurus_nik_hash=IBU,
        alasan="LAINNYA",
        keterangan="Pindah domisili",
        nik_hash="",
        ditangguhkan_oleh="dinsos-bandung-1",
        ditangguhkan_pada=wib(2025, 2, 1, 9),
    )
    assert jenis_event(usulan_id).count("PenerimaDitangguhkan") == 1
    assert IndeksPenerima.objects.get().status == "DITANGGUHKAN"
    refused(
        DomainError,
        "bukan_petugas",
        commands.bansos_tangguhkan_penerima,
        principal=BANK,
        penerima_id=usulan_id,
        alasan="LAINNYA",
        keterangan="x",
        metadata=meta(BANK),
    )


@pytest.mark.postgres
def test_the_decision_path_on_postgresql():
    verifikasi_ktp(*NIK_KELUARGA, NIK_IBU_B)
    jalankan_policy()
    pertama, kedua = ajukan(), ajukan((Anggota(IBU_B),), kk=KK)
    verifikasi(pertama)
    verifikasi(kedua)
    refused(InvalidState, "empat_mata", tetapkan, pertama, oleh=OPERATOR_DESA)
    tetapkan(pertama)
    assert refused(TidakLayak, "tidak_layak", tetapkan, kedua).gagal == ("ganda_kk",)
    assert jenis_event(pertama)[-1] == "PenerimaDitetapkan"
    assert IndeksPenerima.objects.get(penerima_id=pertama).status == "AKTIF"
