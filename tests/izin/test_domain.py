"""Domain paths of business permits, without a database."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from apps.izin.domain import aggregates, events, rules
from egov.eventstore.domain import InvalidInput, InvalidState

NOW = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # a Monday
SLA = {"VERIFIKASI": 5, "PERSETUJUAN": 10, "PERBAIKAN": 10}


def dibuat(**overrides) -> events.PermohonanIzinDibuat:
    values = {
        "pelaku_id": uuid.uuid4(),
        "jenis_pelaku": rules.PERORANGAN,
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
    return events.PermohonanIzinDibuat(**{**values, **overrides})


def ketentuan(tingkat: str) -> events.KetentuanRisiko:
    return events.KetentuanRisiko("56102", "2020", "Rumah makan", "Pariwisata", tingkat, "DPMPTSP")


def diproses(tingkat: str, libur: frozenset = frozenset()) -> aggregates.PermohonanIzin:
    p = aggregates.PermohonanIzin.ajukan(uuid.uuid4(), dibuat(), identitas_terverifikasi=True)
    p.proses(
        nib="1234567890123",
        ketentuan=ketentuan(tingkat),
        hari_ini=NOW.date(),
        sekarang=NOW,
        sla=SLA,
        libur=libur,
    )
    return p


def types(p: aggregates.PermohonanIzin) -> list[str]:
    return [e.event_type() for e in p.pending]


@pytest.mark.parametrize(
    ("tingkat", "keputusan"), [("R", "NIB"), ("MR", "SERTIFIKAT_STANDAR_MANDIRI")]
)
def test_low_risk_is_approved_at_once(tingkat, keputusan):
    p = diproses(tingkat)
    assert types(p) == ["PermohonanIzinDibuat", "TingkatRisikoDitetapkan", "IzinDisetujui"]
    assert p.pending[-1].jenis_keputusan == keputusan
    assert p.pending[-1].petugas == rules.SISTEM
    assert p.tahap == rules.DISETUJUI
    assert p.perlu_dikirim


def test_medium_high_risk_waits_for_the_verifier_with_a_deadline():
    p = diproses("MT")
    assert p.tahap == rules.VERIFIKASI
    assert p.tenggat == date(2026, 3, 9)  # five working days after Monday 2 March
    with pytest.raises(InvalidState):
        p.setujui(peran=rules.PERSETUJUAN, petugas="approver", sekarang=NOW)
    p.setujui(peran=rules.VERIFIKASI, petugas="verifikator", sekarang=NOW)
    assert types(p)[-1] == "IzinDisetujui"
    assert p.pending[-1].jenis_keputusan == "SERTIFIKAT_STANDAR"


def test_high_risk_needs_the_approver():
    p = diproses("T")
    assert p.tahap == rules.PERSETUJUAN
    assert p.tenggat == date(2026, 3, 16)
    with pytest.raises(InvalidState):
        p.setujui(peran=rules.VERIFIKASI, petugas="verifikator", sekarang=NOW)
    p.setujui(peran=rules.PERSETUJUAN, petugas="approver", sekarang=NOW)
    assert p.pending[-1].jenis_keputusan == "IZIN"


def test_rejection_needs_reason_and_legal_basis():
    p = diproses("T")
    with pytest.raises(InvalidInput, match=rules.MSG_ALASAN_KOSONG):
        p.tolak(peran=rules.PERSETUJUAN, alasan="", dasar_hukum="x", petugas="a", sekarang=NOW)
    p.tolak(
        peran=rules.PERSETUJUAN,
        alasan="Lokasi tidak sesuai KKPR",
        dasar_hukum="PP 21/2021",
        petugas="a",
        sekarang=NOW,
    )
    assert p.tahap == rules.DITOLAK
    assert not p.perlu_dikirim


def test_correction_round_trip_restarts_the_stage_clock():
    p = diproses("MT")
    p.minta_perbaikan(
        peran=rules.VERIFIKASI, catatan="Lengkapi SPPL", petugas="v", hari_ini=NOW.date(), sla=SLA
    )
    assert p.tenggat == date(2026, 3, 16)
    assert p.tahap == rules.PERBAIKAN
    with pytest.raises(InvalidState, match=rules.MSG_TENGGAT_PERBAIKAN_LEWAT):
        p.ajukan_perbaikan(keterangan="SPPL", hari_ini=date(2026, 3, 17), sla=SLA)
    p.ajukan_perbaikan(keterangan="SPPL terlampir", hari_ini=date(2026, 3, 10), sla=SLA)
    assert p.tahap == rules.VERIFIKASI
    assert p.tenggat == date(2026, 3, 17)
    assert types(p)[-2:] == ["PerbaikanDiminta", "PerbaikanDiajukan"]


def test_fiktif_positif_only_after_the_deadline():
    p = diproses("T")
    assert not p.periksa_tenggat(hari_ini=date(2026, 3, 16), sekarang=NOW)
    assert p.periksa_tenggat(hari_ini=date(2026, 3, 17), sekarang=NOW)
    assert types(p)[-1] == "IzinDisetujuiFiktifPositif"
    assert p.tahap == rules.DISETUJUI
    assert not p.periksa_tenggat(hari_ini=date(2026, 3, 30), sekarang=NOW)


def test_unverified_identity_holds_the_application():
    p = aggregates.PermohonanIzin.ajukan(uuid.uuid4(), dibuat(), identitas_terverifikasi=False)
    assert types(p) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]
    assert not p.siap_diproses
    p.identitas_terverifikasi(sumber="ktp-event")
    assert p.siap_diproses
    with pytest.raises(InvalidState):
        p.identitas_terverifikasi(sumber="again")


def test_delivery_and_revocation():
    p = diproses("R")
    p.kirim(kode_verifikasi="ABCD-EFGH-JKLM", sha256="0" * 64, sekarang=NOW)
    with pytest.raises(InvalidState, match=rules.MSG_SUDAH_DIKIRIM):
        p.kirim(kode_verifikasi="X", sha256="0" * 64, sekarang=NOW)
    p.cabut(alasan="Tidak beroperasi", dasar_hukum="PP 28/2025", petugas="a", sekarang=NOW)
    assert p.tahap == rules.DICABUT
    with pytest.raises(InvalidState):
        p.cabut(alasan="x", dasar_hukum="y", petugas="a", sekarang=NOW)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"nik": "123"}, rules.MSG_NIK_TIDAK_VALID),
        ({"kbli_kode": "5610"}, rules.MSG_KBLI_TIDAK_VALID),
        ({"skala": "RAKSASA"}, rules.MSG_SKALA_TIDAK_VALID),
        ({"nilai_investasi": Decimal(0)}, rules.MSG_INVESTASI_TIDAK_VALID),
        ({"jenis_pelaku": rules.BADAN_USAHA}, rules.MSG_BADAN_TANPA_NOMOR),
    ],
)
def test_invalid_input_records_nothing(override, message):
    with pytest.raises(InvalidInput, match=message):
        aggregates.PermohonanIzin.ajukan(
            uuid.uuid4(), dibuat(**override), identitas_terverifikasi=True
        )


def test_one_nib_per_business():
    pelaku = aggregates.PelakuUsaha(uuid.uuid4())
    event = events.NIBDiterbitkan(
        nib="1234567890123",
        jenis_pelaku=rules.PERORANGAN,
        nama_usaha="W",
        nik="3273015708850001",
        nik_hash="a" * 64,
        nama_pemilik="S",
    )
    pelaku.terbitkan_nib(event)
    with pytest.raises(InvalidState, match=rules.MSG_NIB_SUDAH_ADA):
        pelaku.terbitkan_nib(event)


def test_holidays_push_the_deadline_and_are_recorded_with_it():
    nyepi = date(2026, 3, 4)
    p = diproses("MT", libur=frozenset({nyepi, date(2025, 12, 25)}))
    assert p.tenggat == date(2026, 3, 10)
    assert p.pending[-1].libur == ("2026-03-04",)
