"""A recipient after the decision, on bansos's aliases: reactivation, graduation and exit by an
officer of the region (an exit cancels the instructions whose money has not left), PKH
conditionality from officers, integrators and the platform, and the appeal a member of the
household files and an officer answers. Exact events and index statuses; every refusal has
its code and appends nothing."""

import uuid

import pytest

from apps.bansos import commands
from apps.bansos.domain.events import (
    InstruksiDibatalkan,
    KeberatanDiajukan,
    KeberatanDijawab,
    KepatuhanDicatat,
    PenerimaDiaktifkanKembali,
    PenerimaDigraduasi,
    PenerimaDikeluarkan,
)
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import IndeksInstruksi, IndeksPenerima
from apps.bansos.roles import SCOPE_KEPATUHAN
from egov import clock
from egov.eventstore.domain import InvalidInput, InvalidState
from egov.principals import CITIZEN, INTEGRATOR, AccessDenied, NotVisible, Principal, system
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    AYAH,
    BANK,
    DINSOS,
    DINSOS_JATIM,
    IBU,
    IBU_B,
    KELUARGA,
    KELUARGA_B,
    KK_B,
    NIK_IBU,
    NIK_KELUARGA_B,
    OPERATOR_DESA,
    PETUGAS_LAIN,
    WARGA,
    ajukan,
    buat_instruksi,
    event_stream,
    jalankan_policy,
    jenis_event,
    konfigurasi,
    meta,
    nonaktifkan_nik,
    penerima,
    refused,
    siklus_disetujui,
    verifikasi_ktp,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
PADA = wib(2025, 5, 2, 10, 0)
AYAH_WARGA = Principal(kind=CITIZEN, id="user:budi", name="budi", subject_id=AYAH)
WARGA_LAIN = Principal(kind=CITIZEN, id="user:rina", name="rina", subject_id=IBU_B)
BELUM_TERVERIFIKASI = Principal(kind=CITIZEN, id="user:x", name="x")
SEKOLAH = Principal(
    kind=INTEGRATOR, id="client:dapodik", name="Dapodik", scopes=frozenset({SCOPE_KEPATUHAN})
)


def status(penerima_id) -> str:
    return IndeksPenerima.objects.get(penerima_id=penerima_id).status


def tangguhkan(penerima_id, alasan="LAINNYA"):
    with clock.frozen(wib(2025, 4, 1, 9)):
        commands.bansos_tangguhkan_penerima(
            principal=DINSOS,
            penerima_id=penerima_id,
            alasan=alasan,
            keterangan="Pindah domisili",
            metadata=meta(DINSOS),
        )


def aktifkan(penerima_id, oleh=DINSOS, keterangan="Hasil verifikasi lapangan"):
    with clock.frozen(PADA):
        commands.bansos_aktifkan_kembali_penerima(
            principal=oleh, penerima_id=penerima_id, keterangan=keterangan, metadata=meta(oleh)
        )


def graduasi(penerima_id, oleh=DINSOS):
    with clock.frozen(PADA):
        commands.bansos_graduasi_penerima(
            principal=oleh,
            penerima_id=penerima_id,
            keterangan="Usaha warung mandiri",
            metadata=meta(oleh),
        )


def keluarkan(penerima_id, oleh=DINSOS, alasan="Data ganda dengan KK lain"):
    with clock.frozen(PADA):
        commands.bansos_keluarkan_penerima(
            principal=oleh, penerima_id=penerima_id, alasan=alasan, metadata=meta(oleh)
        )


def kepatuhan(penerima_id, oleh=DINSOS, komponen="SD", patuh=True, sumber="survei-pendamping"):
    with clock.frozen(PADA):
        return commands.bansos_catat_kepatuhan(
            principal=oleh,
            penerima_id=penerima_id,
            periode="2025-TW2",
            komponen=komponen,
            patuh=patuh,
            sumber=sumber,
            metadata=meta(oleh),
        )


def keberatan(penerima_id, oleh=WARGA, alasan="Ibu kami masih hidup"):
    with clock.frozen(PADA):
        commands.bansos_ajukan_keberatan(
            principal=oleh, penerima_id=penerima_id, alasan=alasan, metadata=meta(oleh)
        )


def jawab(penerima_id, oleh=DINSOS, keputusan="DITERIMA", jawaban="Akta kematian keliru"):
    with clock.frozen(PADA):
        commands.bansos_jawab_keberatan(
            principal=oleh,
            penerima_id=penerima_id,
            keputusan=keputusan,
            jawaban=jawaban,
            metadata=meta(oleh),
        )


# --- reactivation --------------------------------------------------------------------------
def test_an_officer_reactivates_a_suspended_recipient():
    usulan_id = penerima()
    tangguhkan(usulan_id)

    aktifkan(usulan_id)

    assert event_stream(usulan_id)[-1] == PenerimaDiaktifkanKembali(
        penerima_id=usulan_id,
        pengurus_nik_hash=IBU,
        keterangan="Hasil verifikasi lapangan",
        diaktifkan_oleh="dinsos-bandung-1",
        diaktifkan_pada=PADA,
    )
    assert status(usulan_id) == "AKTIF"


def test_a_recipient_not_suspended_is_not_reactivated():
    usulan_id = penerima()
    refused(InvalidState, "tahap", aktifkan, usulan_id)
    assert status(usulan_id) == "AKTIF"


def test_a_reactivation_needs_a_note():
    usulan_id = penerima()
    tangguhkan(usulan_id)
    refused(InvalidInput, "keterangan_wajib", aktifkan, usulan_id, keterangan=" ")
    assert status(usulan_id) == "DITANGGUHKAN"


def test_a_household_suspended_by_a_death_is_reactivated_by_a_person():
    usulan_id = penerima()
    nonaktifkan_nik(NIK_IBU)
    jalankan_policy()
    assert status(usulan_id) == "DITANGGUHKAN"

    aktifkan(usulan_id, keterangan="Kematian tercatat keliru, dikoreksi Dukcapil")

    assert jenis_event(usulan_id)[-2:] == ["PenerimaDitangguhkan", "PenerimaDiaktifkanKembali"]
    assert status(usulan_id) == "AKTIF"


@pytest.mark.parametrize(
    ("oleh", "error", "code"),
    [
        (DINSOS_JATIM, AccessDenied, "luar_wilayah"),
        (PETUGAS_LAIN, AccessDenied, "bukan_petugas"),
        (BANK, AccessDenied, "bukan_petugas"),
        (WARGA, AccessDenied, "bukan_petugas"),
    ],
)
def test_only_an_officer_of_the_region_reactivates_graduates_or_exits(oleh, error, code):
    usulan_id = penerima()
    tangguhkan(usulan_id)
    refused(error, code, aktifkan, usulan_id, oleh=oleh)
    refused(error, code, graduasi, usulan_id, oleh=oleh)
    refused(error, code, keluarkan, usulan_id, oleh=oleh)
    assert status(usulan_id) == "DITANGGUHKAN"


def test_an_unknown_recipient_is_not_visible():
    tidak_ada = uuid.uuid4()
    refused(NotVisible, "tidak_ditemukan", aktifkan, tidak_ada)
    refused(NotVisible, "tidak_ditemukan", graduasi, tidak_ada)
    refused(NotVisible, "tidak_ditemukan", keluarkan, tidak_ada)
    refused(NotVisible, "tidak_ditemukan", jawab, tidak_ada)
    refused(NotVisible, "tidak_ditemukan", keberatan, tidak_ada)


# --- graduation and exit ---------------------------------------------------------------------
def test_an_officer_graduates_a_recipient():
    usulan_id = penerima()

    graduasi(usulan_id)

    assert event_stream(usulan_id)[-1] == PenerimaDigraduasi(
        penerima_id=usulan_id,
        pengurus_nik_hash=IBU,
        keterangan="Usaha warung mandiri",
        digraduasi_oleh="dinsos-bandung-1",
        digraduasi_pada=PADA,
    )
    assert status(usulan_id) == "DIGRADUASI"
    refused(InvalidState, "tahap", graduasi, usulan_id)
    refused(InvalidState, "tahap", keluarkan, usulan_id)
    refused(InvalidState, "tahap", aktifkan, usulan_id)


def test_an_officer_exits_a_suspended_recipient():
    usulan_id = penerima()
    tangguhkan(usulan_id)

    keluarkan(usulan_id)

    assert event_stream(usulan_id)[-1] == PenerimaDikeluarkan(
        penerima_id=usulan_id,
        pengurus_nik_hash=IBU,
        alasan="Data ganda dengan KK lain",
        dikeluarkan_oleh="dinsos-bandung-1",
        dikeluarkan_pada=PADA,
    )
    assert status(usulan_id) == "DIKELUARKAN"
    refused(InvalidState, "tahap", aktifkan, usulan_id)


def test_a_proposal_not_decided_is_not_graduated_or_exited():
    verifikasi_ktp(*NIK_KELUARGA_B)
    usulan_id = ajukan(KELUARGA_B, kk=KK_B)
    refused(InvalidState, "tahap", graduasi, usulan_id)
    refused(InvalidState, "tahap", keluarkan, usulan_id)
    assert status(usulan_id) == "DIAJUKAN"


@pytest.mark.parametrize("keluar", [graduasi, keluarkan])
def test_an_exit_cancels_the_pending_instruction_only(keluar):
    a = penerima()
    b = penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)

    keluar(a)

    alasan = "DIGRADUASI" if keluar is graduasi else "DIKELUARKAN"
    assert event_stream(siklus_id)[-1] == InstruksiDibatalkan(
        instruksi_id=instruksi_id(siklus_id, a), penerima_id=a, alasan=alasan, dibatalkan_pada=PADA
    )
    assert IndeksInstruksi.objects.get(penerima_id=a).status == "DIBATALKAN"
    assert IndeksInstruksi.objects.get(penerima_id=b).status == "DIBUAT"
    assert event_stream(a)[-1].__class__.__name__ == (
        "PenerimaDigraduasi" if keluar is graduasi else "PenerimaDikeluarkan"
    )


def test_a_refused_exit_cancels_nothing():
    a = penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    refused(InvalidInput, "alasan_wajib", keluarkan, a, alasan="")
    assert IndeksInstruksi.objects.get(penerima_id=a).status == "DIBUAT"


# --- PKH conditionality ------------------------------------------------------------------------
def test_an_officer_records_compliance_once_per_answer():
    usulan_id = penerima()

    assert kepatuhan(usulan_id) is True
    assert kepatuhan(usulan_id) is False  # the same report again

    assert event_stream(usulan_id)[-1] == KepatuhanDicatat(
        penerima_id=usulan_id,
        pengurus_nik_hash=IBU,
        periode="2025-TW2",
        komponen="SD",
        patuh=True,
        sumber="survei-pendamping",
        dicatat_pada=PADA,
    )
    assert kepatuhan(usulan_id, patuh=False) is True  # a correction
    assert jenis_event(usulan_id).count("KepatuhanDicatat") == 2
    assert status(usulan_id) == "AKTIF"


def test_a_school_system_and_a_policy_feed_compliance_without_a_region():
    usulan_id = penerima()
    assert kepatuhan(usulan_id, oleh=SEKOLAH, sumber="NISNDiverifikasi") is True
    assert kepatuhan(usulan_id, oleh=system("bansos.kepatuhan"), komponen="SMP") is True
    assert [e.sumber for e in event_stream(usulan_id)[-2:]] == [
        "NISNDiverifikasi",
        "survei-pendamping",
    ]


@pytest.mark.parametrize(
    ("oleh", "code"),
    [
        (DINSOS_JATIM, "luar_wilayah"),
        (BANK, "bukan_pencatat_kepatuhan"),
        (WARGA, "bukan_pencatat_kepatuhan"),
        (PETUGAS_LAIN, "bukan_pencatat_kepatuhan"),
    ],
)
def test_compliance_from_anyone_else_is_refused(oleh, code):
    usulan_id = penerima()
    refused(AccessDenied, code, kepatuhan, usulan_id, oleh=oleh)


def test_compliance_of_a_component_the_household_lacks_is_refused():
    usulan_id = penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    refused(InvalidInput, "komponen_bukan_milik", kepatuhan, usulan_id, komponen="SMP")


def test_compliance_of_an_unconditional_programme_is_refused():
    anggota = tuple(Anggota(a.nik_hash) for a in KELUARGA)  # no PKH components
    usulan_id = penerima(anggota, program="BPNT", periode="2025-03")
    refused(InvalidState, "program_tidak_bersyarat", kepatuhan, usulan_id)


# --- the appeal --------------------------------------------------------------------------------
def test_a_member_appeals_and_an_officer_answers():
    usulan_id = penerima()
    nonaktifkan_nik(NIK_IBU)
    jalankan_policy()

    keberatan(usulan_id, oleh=AYAH_WARGA)
    refused(InvalidState, "keberatan_terbuka", keberatan, usulan_id)  # one open at a time
    jawab(usulan_id)

    assert event_stream(usulan_id)[-2:] == [
        KeberatanDiajukan(
            penerima_id=usulan_id,
            pengurus_nik_hash=IBU,
            alasan="Ibu kami masih hidup",
            diajukan_oleh="budi",
            diajukan_pada=PADA,
        ),
        KeberatanDijawab(
            penerima_id=usulan_id,
            pengurus_nik_hash=IBU,
            keputusan="DITERIMA",
            jawaban="Akta kematian keliru",
            dijawab_oleh="dinsos-bandung-1",
            dijawab_pada=PADA,
        ),
    ]
    assert status(usulan_id) == "DITANGGUHKAN"  # an accepted appeal reactivates nothing itself
    refused(InvalidState, "tidak_ada_keberatan", jawab, usulan_id)
    keberatan(usulan_id)  # the pengurus may appeal again once answered
    assert jenis_event(usulan_id)[-1] == "KeberatanDiajukan"


def test_an_exited_household_may_appeal_its_exit():
    usulan_id = penerima()
    keluarkan(usulan_id)
    keberatan(usulan_id, alasan="Kami tidak punya KK lain")
    assert jenis_event(usulan_id)[-2:] == ["PenerimaDikeluarkan", "KeberatanDiajukan"]


@pytest.mark.parametrize(
    ("oleh", "error", "code"),
    [
        (WARGA_LAIN, NotVisible, "tidak_ditemukan"),  # a citizen not a member
        (BELUM_TERVERIFIKASI, AccessDenied, "nik_belum_terverifikasi"),
        (DINSOS, AccessDenied, "tidak_berhak"),  # officers answer appeals, they do not file
        (BANK, AccessDenied, "tidak_berhak"),
    ],
)
def test_only_a_member_of_the_household_appeals(oleh, error, code):
    usulan_id = penerima()
    refused(error, code, keberatan, usulan_id, oleh=oleh)


def test_a_proposal_not_decided_is_not_appealed():
    verifikasi_ktp(*NIK_KELUARGA_B)
    usulan_id = ajukan(KELUARGA_B, kk=KK_B)
    refused(InvalidState, "tahap", keberatan, usulan_id, oleh=WARGA_LAIN)


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"oleh": DINSOS_JATIM}, AccessDenied, "luar_wilayah"),
        ({"oleh": OPERATOR_DESA, "keputusan": "MUNGKIN"}, InvalidInput, "keputusan_tidak_valid"),
        ({"jawaban": ""}, InvalidInput, "jawaban_wajib"),
        ({"oleh": WARGA}, AccessDenied, "bukan_petugas"),
    ],
)
def test_an_answer_is_refused(kwargs, error, code):
    usulan_id = penerima()
    keberatan(usulan_id)
    refused(error, code, jawab, usulan_id, **kwargs)


@pytest.mark.postgres
def test_the_recipient_lifecycle_on_postgresql():
    usulan_id = penerima()
    tangguhkan(usulan_id)
    keberatan(usulan_id, oleh=AYAH_WARGA)
    jawab(usulan_id)
    aktifkan(usulan_id)
    assert kepatuhan(usulan_id) is True
    graduasi(usulan_id)
    assert jenis_event(usulan_id)[-6:] == [
        "PenerimaDitangguhkan",
        "KeberatanDiajukan",
        "KeberatanDijawab",
        "PenerimaDiaktifkanKembali",
        "KepatuhanDicatat",
        "PenerimaDigraduasi",
    ]
    assert status(usulan_id) == "DIGRADUASI"
