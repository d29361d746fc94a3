"""Domain paths of business permits, without a database."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from apps.izin import domain as d
from egov.eventstore.domain import InvalidInput, InvalidState

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # a Monday
SLA = {"VERIFIKASI": 5, "PERSETUJUAN": 10, "PERBAIKAN": 10}


def dibuat(**overrides) -> d.PermohonanIzinDibuat:
    values = {
        "pelaku_id": uuid.uuid4(),
        "jenis_pelaku": d.PERORANGAN,
        "nama_usaha": "Warung Bu Sri",
        "nik": "3273015708850001",
        "nik_hash": "a" * 64,
        "nama_pemohon": "Sri Wahyuni",
        "kbli_kode": "56102",
        "kbli_versi": "2020",
        "kode_wilayah": "3273",
        "skala": "MIKRO",
        "nilai_investasi": Decimal("50000000"),
        "diajukan_oleh": "sri",
        "diajukan_pada": NOW,
    }
    return d.PermohonanIzinDibuat(**{**values, **overrides})


def ketentuan(tingkat: str) -> d.KetentuanRisiko:
    return d.KetentuanRisiko("56102", "2020", "Rumah makan", "Pariwisata", tingkat, "DPMPTSP")


def diproses(tingkat: str, libur: frozenset = frozenset()) -> d.PermohonanIzin:
    p = d.PermohonanIzin.ajukan(uuid.uuid4(), dibuat(), identitas_terverifikasi=True)
    p.proses(
        nib="1234567890123",
        ketentuan=ketentuan(tingkat),
        hari_ini=NOW.date(),
        sekarang=NOW,
        sla=SLA,
        libur=libur,
    )
    return p


def types(p: d.PermohonanIzin) -> list[str]:
    return [e.event_type() for e in p.pending]


@pytest.mark.parametrize(
    ("tingkat", "keputusan"), [("R", "NIB"), ("MR", "SERTIFIKAT_STANDAR_MANDIRI")]
)
def test_low_risk_is_approved_at_once(tingkat, keputusan):
    p = diproses(tingkat)
    assert types(p) == ["PermohonanIzinDibuat", "TingkatRisikoDitetapkan", "IzinDisetujui"]
    assert p.pending[-1].jenis_keputusan == keputusan
    assert p.pending[-1].petugas == d.SISTEM
    assert p.tahap == d.DISETUJUI
    assert p.perlu_dikirim


def test_medium_high_risk_waits_for_the_verifier_with_a_deadline():
    p = diproses("MT")
    assert p.tahap == d.VERIFIKASI
    assert p.tenggat == date(2026, 3, 9)  # five working days after Monday 2 March
    with pytest.raises(InvalidState):
        p.setujui(peran=d.PERSETUJUAN, petugas="approver", sekarang=NOW)
    p.setujui(peran=d.VERIFIKASI, petugas="verifikator", sekarang=NOW)
    assert types(p)[-1] == "IzinDisetujui"
    assert p.pending[-1].jenis_keputusan == "SERTIFIKAT_STANDAR"


def test_high_risk_needs_the_approver():
    p = diproses("T")
    assert p.tahap == d.PERSETUJUAN
    assert p.tenggat == date(2026, 3, 16)
    with pytest.raises(InvalidState):
        p.setujui(peran=d.VERIFIKASI, petugas="verifikator", sekarang=NOW)
    p.setujui(peran=d.PERSETUJUAN, petugas="approver", sekarang=NOW)
    assert p.pending[-1].jenis_keputusan == "IZIN"


def test_rejection_needs_reason_and_legal_basis():
    p = diproses("T")
    with pytest.raises(InvalidInput, match=d.MSG_ALASAN_KOSONG):
        p.tolak(peran=d.PERSETUJUAN, alasan="", dasar_hukum="x", petugas="a", sekarang=NOW)
    p.tolak(
        peran=d.PERSETUJUAN,
        alasan="Lokasi tidak sesuai KKPR",
        dasar_hukum="PP 21/2021",
        petugas="a",
        sekarang=NOW,
    )
    assert p.tahap == d.DITOLAK
    assert not p.perlu_dikirim


def test_correction_round_trip_restarts_the_stage_clock():
    p = diproses("MT")
    p.minta_perbaikan(
        peran=d.VERIFIKASI, catatan="Lengkapi SPPL", petugas="v", hari_ini=NOW.date(), sla=SLA
    )
    assert p.tenggat == date(2026, 3, 16)
    assert p.tahap == d.PERBAIKAN
    with pytest.raises(InvalidState, match=d.MSG_TENGGAT_PERBAIKAN_LEWAT):
        p.ajukan_perbaikan(keterangan="SPPL", hari_ini=date(2026, 3, 17), sla=SLA)
    p.ajukan_perbaikan(keterangan="SPPL terlampir", hari_ini=date(2026, 3, 10), sla=SLA)
    assert p.tahap == d.VERIFIKASI
    assert p.tenggat == date(2026, 3, 17)
    assert types(p)[-2:] == ["PerbaikanDiminta", "PerbaikanDiajukan"]


def test_fiktif_positif_only_after_the_deadline():
    p = diproses("T")
    assert not p.periksa_tenggat(hari_ini=date(2026, 3, 16), sekarang=NOW)
    assert p.periksa_tenggat(hari_ini=date(2026, 3, 17), sekarang=NOW)
    assert types(p)[-1] == "IzinDisetujuiFiktifPositif"
    assert p.tahap == d.DISETUJUI
    assert not p.periksa_tenggat(hari_ini=date(2026, 3, 30), sekarang=NOW)


def test_unverified_identity_holds_the_application():
    p = d.PermohonanIzin.ajukan(uuid.uuid4(), dibuat(), identitas_terverifikasi=False)
    assert types(p) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]
    assert not p.siap_diproses
    p.identitas_terverifikasi(sumber="ktp-event")
    assert p.siap_diproses
    with pytest.raises(InvalidState):
        p.identitas_terverifikasi(sumber="again")


def test_delivery_and_revocation():
    p = diproses("R")
    p.kirim(kode_verifikasi="ABCD-EFGH-JKLM", sha256="0" * 64, sekarang=NOW)
    with pytest.raises(InvalidState, match=d.MSG_SUDAH_DIKIRIM):
        p.kirim(kode_verifikasi="X", sha256="0" * 64, sekarang=NOW)
    p.cabut(alasan="Tidak beroperasi", dasar_hukum="PP 28/2025", petugas="a", sekarang=NOW)
    assert p.tahap == d.DICABUT
    with pytest.raises(InvalidState):
        p.cabut(alasan="x", dasar_hukum="y", petugas="a", sekarang=NOW)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"nik": "123"}, d.MSG_NIK_TIDAK_VALID),
        ({"kbli_kode": "5610"}, d.MSG_KBLI_TIDAK_VALID),
        ({"skala": "RAKSASA"}, d.MSG_SKALA_TIDAK_VALID),
        ({"nilai_investasi": Decimal(0)}, d.MSG_INVESTASI_TIDAK_VALID),
        ({"jenis_pelaku": d.BADAN_USAHA}, d.MSG_BADAN_TANPA_NOMOR),
    ],
)
def test_invalid_input_records_nothing(override, message):
    with pytest.raises(InvalidInput, match=message):
        d.PermohonanIzin.ajukan(uuid.uuid4(), dibuat(**override), identitas_terverifikasi=True)


def test_one_nib_per_business():
    pelaku = d.PelakuUsaha(uuid.uuid4())
    event = d.NIBDiterbitkan(
        nib="1234567890123",
        jenis_pelaku=d.PERORANGAN,
        nama_usaha="W",
        nik="3273015708850001",
        nik_hash="a" * 64,
        nama_pemilik="S",
    )
    pelaku.terbitkan_nib(event)
    with pytest.raises(InvalidState, match=d.MSG_NIB_SUDAH_ADA):
        pelaku.terbitkan_nib(event)


def test_working_days_skip_weekends():
    friday = date(2026, 3, 6)
    assert d.tambah_hari_kerja(friday, 1) == date(2026, 3, 9)
    assert d.tambah_hari_kerja(friday, 1, frozenset({date(2026, 3, 9)})) == date(2026, 3, 10)
    assert d.sisa_hari_kerja(friday, date(2026, 3, 10)) == 2
    assert d.sisa_hari_kerja(date(2026, 3, 10), friday) == -2


def test_holidays_push_the_deadline_and_are_recorded_with_it():
    nyepi = date(2026, 3, 4)
    p = diproses("MT", libur=frozenset({nyepi, date(2025, 12, 25)}))
    assert p.tenggat == date(2026, 3, 10)
    assert p.pending[-1].libur == ("2026-03-04",)
