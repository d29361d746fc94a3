"""Command side, policies and projections on the izin aliases. In a test transaction nothing
runs on commit, so ``selesaikan()`` plays the worker; the on-commit wiring itself is proven by
the real-worker test on PostgreSQL."""

from datetime import UTC, date, datetime

import pytest

from apps.izin import commands, queries
from apps.izin.dokumen import buka_pdf
from apps.izin.domain.rules import MSG_KBLI_TIDAK_DIKENAL
from apps.izin.models import DokumenIzin, HariLibur, IdentitasTerverifikasi, IzinEvent, NomorNIB
from apps.izin.tasks import izin_periksa_tenggat
from egov import clock
from egov.eventstore.domain import InvalidInput, InvalidState
from egov.eventstore.pseudonym import keyed_hash
from tests.izin.conftest import (
    LOKET,
    NIK,
    NIK_LAIN,
    VERIFIKATOR,
    ajukan,
    metadata,
    nonaktifkan_nik,
    selesaikan,
    verifikasi_ktp,
)

pytestmark = [
    pytest.mark.django_db(databases="__all__"),
    pytest.mark.usefixtures("konfigurasi"),
]
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def event_types(stream_id) -> list[str]:
    rows = IzinEvent.objects.filter(stream_id=stream_id).order_by("version")
    return list(rows.values_list("event_type", flat=True))


def test_low_risk_application_after_verification_is_approved_and_delivered():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan()
    selesaikan()
    assert event_types(pid) == [
        "PermohonanIzinDibuat",
        "TingkatRisikoDitetapkan",
        "IzinDisetujui",
        "IzinDikirim",
    ]
    status = queries.status_izin(pid)
    assert (status.tahap, status.tingkat_risiko, status.keputusan) == ("DISETUJUI", "R", "NIB")
    assert status.nik_masked == "3273**********01"
    assert len(status.nib) == 13
    assert NomorNIB.objects.get().nib == status.nib
    dokumen = DokumenIzin.objects.get(permohonan_id=pid)
    assert not bytes(dokumen.pdf).startswith(b"%PDF")  # sealed with the applicant's key
    assert dokumen.subject_id == keyed_hash(NIK)
    assert buka_pdf(pid).startswith(b"%PDF")
    assert queries.verifikasi_dokumen(dokumen.kode_verifikasi)["nib"] == status.nib
    assert queries.verifikasi_dokumen("TIDAK-ADA") is None


def test_application_before_verification_is_held_then_moves_on_by_itself():
    pid = ajukan()
    selesaikan()
    assert event_types(pid) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]
    assert queries.status_izin(pid).tahap == "MENUNGGU_VERIFIKASI_IDENTITAS"
    verifikasi_ktp(NIK)
    selesaikan()
    assert event_types(pid) == [
        "PermohonanIzinDibuat",
        "MenungguVerifikasiIdentitas",
        "IdentitasPemohonTerverifikasi",
        "TingkatRisikoDitetapkan",
        "IzinDisetujui",
        "IzinDikirim",
    ]
    assert IdentitasTerverifikasi.objects.get().nik_hash == keyed_hash(NIK)
    assert [s.jenis for s in queries.riwayat_izin(pid)] == event_types(pid)


def test_another_nik_verified_does_not_release_the_application():
    pid = ajukan()
    selesaikan()
    verifikasi_ktp(NIK_LAIN)
    selesaikan()
    assert event_types(pid) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]


def test_second_application_of_the_same_business_reuses_its_nib():
    verifikasi_ktp(NIK)
    selesaikan()
    first, second = ajukan(), ajukan(kbli_kode="96011")
    selesaikan()
    assert queries.status_izin(first).nib == queries.status_izin(second).nib
    assert IzinEvent.objects.filter(event_type="NIBDiterbitkan").count() == 1


def test_fiktif_positif_when_the_authority_misses_the_deadline():
    verifikasi_ktp(NIK)
    selesaikan()
    with clock.frozen(MONDAY):
        pid = ajukan(kbli_kode="86105")  # klinik pratama: T
        selesaikan()
    assert queries.status_izin(pid).tenggat == date(2026, 3, 16)
    with clock.frozen(datetime(2026, 3, 16, 9, 0, tzinfo=UTC)):
        izin_periksa_tenggat()
        selesaikan()
        assert queries.status_izin(pid).sisa_hari_kerja == 0
    assert event_types(pid)[-1] == "TingkatRisikoDitetapkan"
    with clock.frozen(datetime(2026, 3, 17, 1, 0, tzinfo=UTC)):
        izin_periksa_tenggat()
        selesaikan()
    assert event_types(pid)[-2:] == ["IzinDisetujuiFiktifPositif", "IzinDikirim"]
    assert queries.status_izin(pid).keputusan == "FIKTIF_POSITIF"


def test_verifier_correction_and_approval_of_medium_high_risk():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(kbli_kode="47722")  # apotek: MT
    selesaikan()
    assert [s.permohonan_id for s in queries.antrean_petugas(tingkat="MT")] == [pid]
    commands.izin_minta_perbaikan(
        permohonan_id=pid, principal=VERIFIKATOR, catatan="Lampirkan SIPA", metadata=metadata("v")
    )
    commands.izin_ajukan_perbaikan(
        principal=LOKET, permohonan_id=pid, keterangan="SIPA", metadata=metadata()
    )
    selesaikan()
    commands.izin_setujui(permohonan_id=pid, principal=VERIFIKATOR, metadata=metadata("v"))
    selesaikan()
    assert event_types(pid)[-4:] == [
        "PerbaikanDiminta",
        "PerbaikanDiajukan",
        "IzinDisetujui",
        "IzinDikirim",
    ]
    assert queries.status_izin(pid).petugas == "v"


def test_out_of_state_and_invalid_commands_write_nothing():
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(kbli_kode="35101")  # T
    selesaikan()
    before = IzinEvent.objects.count()
    with pytest.raises(InvalidState, match=r"menunggu persetujuan approver") as refused:
        commands.izin_setujui(permohonan_id=pid, principal=VERIFIKATOR, metadata=metadata("v"))
    assert refused.value.code == "perlu_approver"
    with pytest.raises(InvalidInput, match=MSG_KBLI_TIDAK_DIKENAL):
        ajukan(kbli_kode="99999")
    with pytest.raises(InvalidState):
        commands.izin_ajukan_perbaikan(
            principal=LOKET, permohonan_id=pid, keterangan="x", metadata=metadata()
        )
    assert IzinEvent.objects.count() == before


def test_configured_holidays_push_the_deadline_and_the_countdown_agrees():
    HariLibur.objects.create(tanggal=date(2026, 3, 4), keterangan="Hari Suci Nyepi")
    verifikasi_ktp(NIK)
    selesaikan()
    with clock.frozen(MONDAY):
        pid = ajukan(kbli_kode="86105")  # T: 10 working days
        selesaikan()
    assert queries.status_izin(pid).tenggat == date(2026, 3, 17)
    with clock.frozen(datetime(2026, 3, 3, 2, 0, tzinfo=UTC)):
        assert queries.status_izin(pid).sisa_hari_kerja == 9  # 4 March is not counted
    with clock.frozen(datetime(2026, 3, 17, 9, 0, tzinfo=UTC)):
        izin_periksa_tenggat()
        selesaikan()
    assert event_types(pid)[-1] == "TingkatRisikoDitetapkan"


def test_a_company_keeps_one_nib_whoever_of_its_directors_applies():
    verifikasi_ktp(NIK)
    verifikasi_ktp(NIK_LAIN)
    selesaikan()
    company = {"jenis_pelaku": "BADAN_USAHA", "nomor_badan_usaha": "AHU-0012345.AH.01.01"}
    first = ajukan(nama_usaha="PT Roti Nusantara", kbli_kode="10710", **company)
    second = ajukan(nik=NIK_LAIN, nama_usaha="PT Roti Nusantara", kbli_kode="46100", **company)
    own = ajukan(nik=NIK_LAIN)  # the director's own individual business: another NIB
    selesaikan()
    nibs = [queries.status_izin(pid).nib for pid in (first, second, own)]
    assert nibs[0] == nibs[1] != nibs[2]
    assert IzinEvent.objects.filter(event_type="NIBDiterbitkan").count() == 2


def test_a_deactivated_nik_cannot_apply_and_nothing_is_written():
    nonaktifkan_nik(NIK)
    selesaikan()
    before = IzinEvent.objects.count()
    with pytest.raises(InvalidState, match=commands.MSG_NIK_NONAKTIF):
        ajukan()
    assert IzinEvent.objects.count() == before


def test_the_beat_sweep_resumes_an_application_the_policy_missed():
    pid = ajukan()
    selesaikan()
    # The policy committed the replica just before this application: it found nothing held.
    IdentitasTerverifikasi.objects.create(nik_hash=keyed_hash(NIK), status="VERIFIED")
    izin_periksa_tenggat()
    selesaikan()
    assert event_types(pid)[2:] == [
        "IdentitasPemohonTerverifikasi",
        "TingkatRisikoDitetapkan",
        "IzinDisetujui",
        "IzinDikirim",
    ]
