"""The e-KTP request's state machine, without a database."""

import uuid
from datetime import UTC, date, datetime

import pytest

from apps.ktp.domain import (
    MSG_ALASAN_PENGGANTIAN,
    MSG_BELUM_CUKUP_UMUR,
    BiometrikDirekam,
    DuplikasiTerdeteksi,
    KTPDibuat,
    KTPDicetak,
    KTPDiserahkan,
    KTPDitolak,
    KTPDiverifikasi,
    PermohonanKTP,
)
from egov.eventstore.domain import InvalidInput, InvalidState

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TEMPLATE = "ab" * 32


def _ajukan(jenis="BARU", alasan="", lahir=date(1985, 8, 17), kawin=False) -> PermohonanKTP:
    return PermohonanKTP.ajukan(
        nik="3273015708850001",
        nik_hash="h" * 64,
        nama="Siti Aminah",
        tanggal_lahir=lahir,
        pernah_kawin=kawin,
        jenis=jenis,
        alasan=alasan,
        sekarang=NOW,
    )


def _types(request: PermohonanKTP) -> list[type]:
    return [type(e) for e in request.pending]


def test_new_card_path_request_record_verify_print_hand_over():
    request = _ajukan()
    request.rekam_biometrik(template_hash=TEMPLATE, lokasi="Bandung", petugas="p1", sekarang=NOW)
    request.hasil_pemeriksaan_pusat(duplikat_dari="", sekarang=NOW)
    request.cetak(nomor_blangko="BLK-1", kartu_lama="", petugas="p1", sekarang=NOW)
    request.serahkan(petugas="p1", sekarang=NOW)

    assert _types(request) == [
        KTPDibuat,
        BiometrikDirekam,
        KTPDiverifikasi,
        KTPDicetak,
        KTPDiserahkan,
    ]
    assert request.status == "DISERAHKAN"
    verified = request.pending[2]
    assert (verified.status, verified.nik_hash, verified.nik) == (
        "VERIFIED",
        "h" * 64,
        "3273015708850001",
    )


def test_a_duplicate_goes_to_adjudication_then_is_verified_or_rejected():
    approved, rejected = _ajukan(), _ajukan()
    for request in (approved, rejected):
        request.rekam_biometrik(template_hash=TEMPLATE, lokasi="B", petugas="p", sekarang=NOW)
        request.hasil_pemeriksaan_pusat(duplikat_dari=str(uuid.uuid4()), sekarang=NOW)

    approved.adjudikasi(setujui=True, alasan="", petugas="p2", sekarang=NOW)
    with pytest.raises(InvalidInput):
        rejected.adjudikasi(setujui=False, alasan=" ", petugas="p2", sekarang=NOW)
    rejected.adjudikasi(setujui=False, alasan="Data ganda", petugas="p2", sekarang=NOW)

    assert _types(approved)[-2:] == [DuplikasiTerdeteksi, KTPDiverifikasi]
    assert _types(rejected)[-2:] == [DuplikasiTerdeteksi, KTPDitolak]
    assert rejected.status == "DITOLAK"


def test_a_replacement_needs_no_recording_and_a_reason():
    with pytest.raises(InvalidInput, match=MSG_ALASAN_PENGGANTIAN):
        _ajukan(jenis="PENGGANTIAN")
    request = _ajukan(jenis="PENGGANTIAN", alasan="HILANG")

    assert request.siap_verifikasi()
    with pytest.raises(InvalidState):
        request.rekam_biometrik(template_hash=TEMPLATE, lokasi="B", petugas="p", sekarang=NOW)


def test_eligibility_age_17_or_ever_married():
    with pytest.raises(InvalidInput, match=MSG_BELUM_CUKUP_UMUR):
        _ajukan(lahir=date(2010, 1, 1))
    assert _ajukan(lahir=date(2010, 1, 1), kawin=True).status == "DIAJUKAN"
    assert _ajukan(lahir=date(2009, 11, 25)).status == "DIAJUKAN"  # 17 today


@pytest.mark.parametrize("action", ["cetak", "serahkan", "adjudikasi"])
def test_actions_out_of_order_are_refused_and_record_nothing(action):
    request = _ajukan()
    request.collect()
    calls = {
        "cetak": lambda: request.cetak(nomor_blangko="B", kartu_lama="", petugas="p", sekarang=NOW),
        "serahkan": lambda: request.serahkan(petugas="p", sekarang=NOW),
        "adjudikasi": lambda: request.adjudikasi(
            setujui=True, alasan="", petugas="p", sekarang=NOW
        ),
    }
    with pytest.raises(InvalidState):
        calls[action]()
    assert request.pending == []


def test_replay_rebuilds_the_same_state_without_checks():
    request = _ajukan()
    request.rekam_biometrik(template_hash=TEMPLATE, lokasi="B", petugas="p", sekarang=NOW)
    events = request.collect()

    rebuilt = PermohonanKTP.rehydrate(request.id, events)

    assert (rebuilt.status, rebuilt.version, rebuilt.jenis) == ("DIREKAM", 2, "BARU")
