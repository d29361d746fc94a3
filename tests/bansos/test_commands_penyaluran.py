"""Disbursement cycles on bansos's aliases: four-eyes approval, instructions only for
recipients active and eligible at that moment (a death between approval and instruction
means none), channel reports idempotent, closing only when reconciled to the rupiah."""

import dataclasses
import uuid

import pytest

from apps.bansos import commands
from apps.bansos.domain.events import (
    DanaDikembalikan,
    DanaDisalurkan,
    InstruksiDibatalkan,
    InstruksiPembayaranDibuat,
    SiklusDitutup,
    SiklusPenyaluranDibuat,
)
from apps.bansos.domain.penyaluran import instruksi_id, siklus_stream_id
from apps.bansos.models import DaftarPengecualian, IndeksInstruksi, IndeksSiklus
from egov import clock
from egov.eventstore.domain import InvalidInput, InvalidState
from egov.principals import INTEGRATOR, AccessDenied, NotVisible, Principal
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    AYAH,
    BANK,
    DINSOS,
    DIREKTUR,
    INSTRUKSI_PADA,
    INTEGRATOR_LAIN,
    KELUARGA_B,
    KK,
    KK_B,
    LAPOR_PADA,
    NIK_ANAK_SD,
    NIK_KELUARGA_B,
    PUSAT,
    SIKLUS_PADA,
    WARGA,
    buat_instruksi,
    event_stream,
    jalankan_policy,
    jenis_event,
    konfigurasi,
    lapor,
    meta,
    metadata_terakhir,
    nonaktifkan_nik,
    penerima,
    refused,
    siklus_disetujui,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
SIKLUS_ID = siklus_stream_id("PKH", "2025-TW2", 1)


def dua_keluarga():
    """Household A (SD + SMP: Rp600.000 a quarter) and B (SD: Rp225.000), both decided."""
    return penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)


# --- the round ---------------------------------------------------------------------------------
def test_a_round_is_created_submitted_and_approved_by_another_officer():
    siklus_id = siklus_disetujui()

    assert siklus_id == SIKLUS_ID
    assert jenis_event(siklus_id) == [
        "SiklusPenyaluranDibuat",
        "SiklusDiajukan",
        "SiklusDisetujui",
    ]
    assert event_stream(siklus_id)[0] == SiklusPenyaluranDibuat(
        siklus_id=siklus_id,
        program="PKH",
        periode="2025-TW2",
        tahap=1,
        dibuat_oleh="operator-pusat",
        dibuat_pada=SIKLUS_PADA,
        dibuat_oleh_id="user:operator-pusat",
    )
    assert metadata_terakhir(siklus_id)["actor"] == "direktur-jamsos"
    assert IndeksSiklus.objects.get().status == "DISETUJUI"


def test_the_creator_may_not_approve_and_a_round_is_created_once():
    args = {"principal": PUSAT, "program": "PKH", "periode": "2025-TW2", "metadata": meta()}
    siklus_id = commands.bansos_buat_siklus(**args)
    refused(InvalidState, "tahap", commands.bansos_buat_siklus, **args)
    commands.bansos_ajukan_siklus(principal=PUSAT, siklus_id=siklus_id, metadata=meta())
    refused(
        InvalidState,
        "empat_mata",
        commands.bansos_setujui_siklus,
        principal=PUSAT,
        siklus_id=siklus_id,
        metadata=meta(),
    )


def _siklus_diajukan_oleh_pusat() -> uuid.UUID:
    siklus_id = commands.bansos_buat_siklus(
        principal=PUSAT, program="PKH", periode="2025-TW2", metadata=meta()
    )
    commands.bansos_ajukan_siklus(principal=PUSAT, siklus_id=siklus_id, metadata=meta())
    return siklus_id


def test_another_officer_sharing_the_creators_display_name_may_approve():
    siklus_id = _siklus_diajukan_oleh_pusat()
    senama = dataclasses.replace(DIREKTUR, name=PUSAT.name)  # user:direktur-jamsos

    commands.bansos_setujui_siklus(principal=senama, siklus_id=siklus_id, metadata=meta(senama))

    assert jenis_event(siklus_id)[-1] == "SiklusDisetujui"
    assert event_stream(siklus_id)[-1].disetujui_oleh == "operator-pusat"
    assert event_stream(siklus_id)[0].dibuat_oleh_id == "user:operator-pusat"
    assert metadata_terakhir(siklus_id)["principal_id"] == "user:direktur-jamsos"
    assert IndeksSiklus.objects.get().status == "DISETUJUI"


def test_the_creator_under_another_display_name_may_not_approve():
    siklus_id = _siklus_diajukan_oleh_pusat()
    ganti_nama = dataclasses.replace(PUSAT, name="Operator Pusat (nama baru)")

    refused(
        InvalidState,
        "empat_mata",
        commands.bansos_setujui_siklus,
        principal=ganti_nama,
        siklus_id=siklus_id,
        metadata=meta(ganti_nama),
    )
    assert IndeksSiklus.objects.get().status == "DIAJUKAN"


def test_cycles_are_for_kemensos_officers_only():
    for principal in (WARGA, BANK):
        refused(
            AccessDenied,
            "bukan_petugas",
            commands.bansos_buat_siklus,
            principal=principal,
            program="PKH",
            periode="2025-TW2",
            metadata=meta(),
        )
    siklus_id = siklus_disetujui()
    refused(
        AccessDenied,
        "bukan_petugas",
        commands.bansos_buat_instruksi,
        principal=BANK,
        siklus_id=siklus_id,
        kanal="BRI",
        metadata=meta(),
    )


def test_no_instruction_before_approval():
    dua_keluarga()
    commands.bansos_buat_siklus(principal=PUSAT, program="PKH", periode="2025-TW2", metadata=meta())
    refused(InvalidState, "tahap", buat_instruksi, SIKLUS_ID)
    refused(NotVisible, "tidak_ditemukan", buat_instruksi, uuid.uuid4())
    refused(InvalidInput, "kanal_tidak_valid", buat_instruksi, SIKLUS_ID, kanal="BCA")


# --- instructions ------------------------------------------------------------------------------
def test_every_active_eligible_recipient_gets_one_instruction():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()

    hasil = buat_instruksi(siklus_id)

    ia, ib = instruksi_id(siklus_id, a), instruksi_id(siklus_id, b)
    assert (sorted(hasil.dibuat), hasil.dilewati) == (sorted([ia, ib]), ())
    dibuat = {e.instruksi_id: e for e in event_stream(siklus_id)[3:]}
    assert dibuat == {
        ia: InstruksiPembayaranDibuat(
            instruksi_id=ia,
            siklus_id=siklus_id,
            penerima_id=a,
            nomor_kk_hash=KK,
            nominal=600_000,
            kanal="BRI",
            komponen=("SMP", "SD"),
            dibuat_pada=INSTRUKSI_PADA,
        ),
        ib: InstruksiPembayaranDibuat(
            instruksi_id=ib,
            siklus_id=siklus_id,
            penerima_id=b,
            nomor_kk_hash=KK_B,
            nominal=225_000,
            kanal="BRI",
            komponen=("SD",),
            dibuat_pada=INSTRUKSI_PADA,
        ),
    }
    assert sorted(
        IndeksInstruksi.objects.values_list("penerima_id", "nominal", "status")
    ) == sorted([(a, 600_000, "DIBUAT"), (b, 225_000, "DIBUAT")])
    again = buat_instruksi(siklus_id)  # a retried batch
    assert (again.dibuat, again.dilewati) == ((), ())
    assert len(jenis_event(siklus_id)) == 5


def test_a_death_between_approval_and_instruction_means_no_instruction():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    nonaktifkan_nik(NIK_ANAK_SD, alasan="MENINGGAL")
    jalankan_policy()

    hasil = buat_instruksi(siklus_id)

    assert hasil.dibuat == (instruksi_id(siklus_id, b),)
    assert hasil.dilewati == ((a, "penerima_tidak_aktif"),)
    assert jenis_event(siklus_id).count("InstruksiPembayaranDibuat") == 1


def test_a_recipient_put_on_an_exclusion_list_since_the_decision_is_not_paid():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    DaftarPengecualian.objects.create(nik_hash=AYAH, kategori="ASN", sumber="BKN")

    hasil = buat_instruksi(siklus_id)

    assert (hasil.dibuat, hasil.dilewati) == ((instruksi_id(siklus_id, b),), ((a, "tidak_layak"),))


# --- channel reports ---------------------------------------------------------------------------
def _kanal(kode: str) -> Principal:
    scopes = frozenset({"bansos:penyaluran", f"bansos:kanal:{kode}"})
    return Principal(kind=INTEGRATOR, id=f"client:{kode}", name=kode, scopes=scopes)


def _lapor_sebagai(kanal: Principal, instruksi, hasil: str, **kwargs):
    with clock.frozen(LAPOR_PADA):
        return commands.bansos_catat_penyaluran(
            principal=kanal, instruksi_id=instruksi, hasil=hasil, metadata=meta(kanal), **kwargs
        )


def test_a_channel_reports_only_on_its_own_instructions_another_is_not_found():
    a, _ = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)  # sent to BRI
    ia = instruksi_id(siklus_id, a)

    refused(NotVisible, "tidak_ditemukan", _lapor_sebagai, _kanal("BNI"), ia, "TIDAK_DIAMBIL")
    refused(NotVisible, "tidak_ditemukan", _lapor_sebagai, _kanal("POS"), ia, "TIDAK_DIAMBIL")


def test_pt_pos_reports_on_an_instruction_the_bank_reported_not_collected():
    a, _ = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)
    assert lapor(ia, "TIDAK_DIAMBIL") is True

    assert _lapor_sebagai(_kanal("POS"), ia, "DIALIHKAN_KE_POS") is True
    assert _lapor_sebagai(_kanal("POS"), ia, "DIKEMBALIKAN", nominal=600_000, referensi="R-1")


def test_a_channel_report_is_recorded_once():
    a, _ = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)

    assert lapor(ia, "TERSALUR", ntx="BRI-0001", nominal=600_000) is True
    assert lapor(ia, "TERSALUR", ntx="BRI-0001", nominal=600_000) is False  # the same again

    assert event_stream(siklus_id)[-1] == DanaDisalurkan(
        instruksi_id=ia, kanal="BRI", ntx="BRI-0001", nominal=600_000, disalurkan_pada=LAPOR_PADA
    )
    assert jenis_event(siklus_id).count("DanaDisalurkan") == 1
    assert metadata_terakhir(siklus_id)["principal_id"] == "client:bri"
    assert IndeksInstruksi.objects.get(instruksi_id=ia).status == "TERSALUR"
    refused(InvalidState, "sudah_disalurkan", lapor, ia, "TERSALUR", ntx="BRI-0002", nominal=1)


def test_an_uncollected_payment_goes_to_pt_pos_and_then_back_to_the_treasury():
    a, _ = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)

    assert lapor(ia, "TIDAK_DIAMBIL") is True
    assert lapor(ia, "DIALIHKAN_KE_POS") is True
    assert lapor(ia, "DIALIHKAN_KE_POS") is False
    assert lapor(ia, "DIKEMBALIKAN", nominal=600_000, referensi="NTPN-1") is True

    assert jenis_event(siklus_id)[-3:] == [
        "DanaTidakDiambil",
        "PenyaluranDialihkanKePos",
        "DanaDikembalikan",
    ]
    assert event_stream(siklus_id)[-1] == DanaDikembalikan(
        instruksi_id=ia, nominal=600_000, referensi="NTPN-1", dikembalikan_pada=LAPOR_PADA
    )


def test_reports_are_for_channels_only_and_about_known_instructions():
    a, _ = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)
    for principal in (WARGA, DINSOS, INTEGRATOR_LAIN):
        refused(
            AccessDenied,
            "bukan_penyalur",
            commands.bansos_catat_penyaluran,
            principal=principal,
            instruksi_id=ia,
            hasil="GAGAL",
            alasan="rekening ditutup",
            metadata=meta(),
        )
    refused(NotVisible, "tidak_ditemukan", lapor, uuid.uuid4(), "TIDAK_DIAMBIL")
    refused(InvalidInput, "hasil_tidak_valid", lapor, ia, "HILANG")
    refused(InvalidState, "status_instruksi", lapor, ia, "DIALIHKAN_KE_POS")


# --- closing -----------------------------------------------------------------------------------
def test_a_round_closes_only_once_reconciled_to_the_rupiah():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia, ib = instruksi_id(siklus_id, a), instruksi_id(siklus_id, b)
    lapor(ia, "TERSALUR", ntx="BRI-0001", nominal=600_000)

    def tutup(principal=DIREKTUR):
        with clock.frozen(wib(2025, 6, 30, 16)):
            return commands.bansos_tutup_siklus(
                principal=principal, siklus_id=siklus_id, metadata=meta(principal)
            )

    error = refused(InvalidState, "rekonsiliasi_tidak_seimbang", tutup)
    assert (error.rekonsiliasi.belum_final, error.rekonsiliasi.selisih) == (1, 225_000)
    refused(AccessDenied, "bukan_petugas", tutup, BANK)

    lapor(ib, "GAGAL", alasan="Rekening ditutup")
    rekonsiliasi = tutup()

    assert rekonsiliasi.seimbang
    assert event_stream(siklus_id)[-1] == SiklusDitutup(
        siklus_id=siklus_id,
        jumlah_instruksi=2,
        diinstruksikan=825_000,
        disalurkan=600_000,
        dikembalikan=0,
        gagal=225_000,
        dibatalkan=0,
        ditutup_oleh="direktur-jamsos",
        ditutup_pada=wib(2025, 6, 30, 16),
    )
    assert IndeksSiklus.objects.get().status == "DITUTUP"
    refused(InvalidState, "tahap", tutup)


def test_an_officers_suspension_cancels_the_pending_instruction_only():
    a, b = dua_keluarga()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    with clock.frozen(wib(2025, 4, 16, 9)):
        commands.bansos_tangguhkan_penerima(
            principal=DINSOS,
            penerima_id=a,
            alasan="TIDAK_LAYAK",
            keterangan="Hasil verifikasi lapangan",
            metadata=meta(DINSOS),
        )
    assert event_stream(siklus_id)[-1] == InstruksiDibatalkan(
        instruksi_id=instruksi_id(siklus_id, a),
        penerima_id=a,
        alasan="TIDAK_LAYAK",
        dibatalkan_pada=wib(2025, 4, 16, 9),
    )
    assert IndeksInstruksi.objects.get(penerima_id=b).status == "DIBUAT"
    refused(
        InvalidState,
        "instruksi_dibatalkan",
        lapor,
        instruksi_id(siklus_id, a),
        "TERSALUR",
        ntx="BRI-9",
        nominal=600_000,
    )
