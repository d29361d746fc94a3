"""Recipients: paused and reactivated, graduated or exited, PKH compliance, appeals. A second
delivery of the same suspension or compliance report records nothing."""

import pytest

from apps.bansos.domain.events import (
    KeberatanDiajukan,
    KeberatanDijawab,
    KepatuhanDicatat,
    PenerimaDiaktifkanKembali,
    PenerimaDigraduasi,
    PenerimaDikeluarkan,
    PenerimaDitangguhkan,
)
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.rules import (
    AKTIF,
    BPNT,
    DIGRADUASI,
    DIKELUARKAN,
    DITANGGUHKAN,
    DITERIMA,
    LAINNYA,
    MENINGGAL,
    SD,
    SMA,
)
from egov.eventstore.domain import InvalidInput, InvalidState
from tests.bansos.factories import (
    ANAK_SD,
    DINSOS,
    IBU,
    KONFIGURASI,
    USULAN_ID,
    penerima_aktif,
    wib,
)

PADA = wib(2025, 2, 3, 8, 0)


def test_a_death_suspends_once():
    penerima = penerima_aktif()
    assert penerima.tangguhkan(
        alasan=MENINGGAL,
        keterangan="Akta kematian 3273-KM-01",
        nik_hash=IBU,
        oleh="sistem",
        sekarang=PADA,
    )
    assert penerima.pending == [
        PenerimaDitangguhkan(
            penerima_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            alasan=MENINGGAL,
            keterangan="Akta kematian 3273-KM-01",
            nik_hash=IBU,
            ditangguhkan_oleh="sistem",
            ditangguhkan_pada=PADA,
        )
    ]
    assert (penerima.status, penerima.aktif) == (DITANGGUHKAN, False)
    assert not penerima.tangguhkan(alasan=MENINGGAL, nik_hash=IBU, oleh="sistem", sekarang=PADA)
    assert len(penerima.pending) == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"alasan": "PINDAH"}, "alasan_tidak_valid"),
        ({"alasan": LAINNYA}, "keterangan_wajib"),
        ({"nik_hash": "3273015708850001"}, "hash_tidak_valid"),
        ({"oleh": ""}, "ditangguhkan_oleh_wajib"),
    ],
)
def test_malformed_suspensions_are_refused(changes, code):
    penerima = penerima_aktif()
    with pytest.raises(InvalidInput) as refused:
        penerima.tangguhkan(
            **({"alasan": "TIDAK_LAYAK", "oleh": DINSOS, "sekarang": PADA} | changes)
        )
    assert refused.value.code == code
    assert penerima.pending == []


def test_reactivation_after_a_death_recorded_in_error():
    penerima = penerima_aktif()
    penerima.tangguhkan(alasan=MENINGGAL, nik_hash=IBU, oleh="sistem", sekarang=PADA)
    penerima.collect()
    penerima.aktifkan_kembali(
        keterangan="NIK diaktifkan kembali Dukcapil", oleh=DINSOS, sekarang=PADA
    )
    assert penerima.pending == [
        PenerimaDiaktifkanKembali(
            penerima_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            keterangan="NIK diaktifkan kembali Dukcapil",
            diaktifkan_oleh=DINSOS,
            diaktifkan_pada=PADA,
        )
    ]
    assert penerima.status == AKTIF


def test_only_a_suspended_recipient_is_reactivated():
    with pytest.raises(InvalidState) as refused:
        penerima_aktif().aktifkan_kembali(keterangan="x", oleh=DINSOS, sekarang=PADA)
    assert refused.value.code == "tahap"


def test_graduation_and_exit_are_final():
    lulus = penerima_aktif()
    lulus.graduasi(keterangan="Usaha mandiri", oleh=DINSOS, sekarang=PADA)
    assert lulus.pending == [
        PenerimaDigraduasi(
            penerima_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            keterangan="Usaha mandiri",
            digraduasi_oleh=DINSOS,
            digraduasi_pada=PADA,
        )
    ]
    keluar = penerima_aktif()
    keluar.tangguhkan(alasan="TIDAK_LAYAK", oleh=DINSOS, sekarang=PADA)
    keluar.keluarkan(alasan="Pindah ke luar negeri", oleh=DINSOS, sekarang=PADA)
    assert keluar.pending[-1] == PenerimaDikeluarkan(
        penerima_id=USULAN_ID,
        pengurus_nik_hash=IBU,
        alasan="Pindah ke luar negeri",
        dikeluarkan_oleh=DINSOS,
        dikeluarkan_pada=PADA,
    )
    assert (lulus.status, keluar.status) == (DIGRADUASI, DIKELUARKAN)
    for penerima in (lulus, keluar):
        for aksi in (
            lambda p=penerima: p.tangguhkan(alasan=MENINGGAL, oleh="sistem", sekarang=PADA),
            lambda p=penerima: p.aktifkan_kembali(keterangan="x", oleh=DINSOS, sekarang=PADA),
            lambda p=penerima: p.keluarkan(alasan="x", oleh=DINSOS, sekarang=PADA),
            lambda p=penerima: p.graduasi(keterangan="x", oleh=DINSOS, sekarang=PADA),
        ):
            with pytest.raises(InvalidState) as refused:
                aksi()
            assert refused.value.code == "tahap"


def _patuh(penerima, *, komponen=SD, patuh=True, sumber="EMIS Kemenag", periode="2025-TW1"):
    return penerima.catat_kepatuhan(
        periode=periode,
        komponen=komponen,
        patuh=patuh,
        sumber=sumber,
        sekarang=PADA,
        konfigurasi=KONFIGURASI,
    )


def test_pkh_compliance_is_recorded_once_and_a_correction_again():
    penerima = penerima_aktif()
    assert _patuh(penerima, patuh=False)
    assert not _patuh(penerima, patuh=False)
    assert _patuh(penerima, patuh=True)
    assert penerima.pending == [
        KepatuhanDicatat(
            penerima_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            periode="2025-TW1",
            komponen=SD,
            patuh=patuh,
            sumber="EMIS Kemenag",
            dicatat_pada=PADA,
        )
        for patuh in (False, True)
    ]


def test_compliance_of_a_component_the_household_lacks_or_of_a_flat_programme_is_refused():
    with pytest.raises(InvalidInput) as refused:
        _patuh(penerima_aktif(), komponen=SMA)
    assert refused.value.code == "komponen_bukan_milik"
    bpnt = penerima_aktif(
        program=BPNT, periode="2025-02", anggota=(Anggota(IBU), Anggota(ANAK_SD))
    )
    with pytest.raises(InvalidState) as refused:
        _patuh(bpnt, periode="2025-02")
    assert refused.value.code == "program_tidak_bersyarat"


def test_an_appeal_is_answered_and_one_is_open_at_a_time():
    penerima = penerima_aktif()
    penerima.keluarkan(alasan="Tidak ditemukan di alamat", oleh=DINSOS, sekarang=PADA)
    penerima.collect()
    penerima.ajukan_keberatan(
        alasan="Kami pindah RT, masih di desa yang sama", oleh=IBU, sekarang=PADA
    )
    with pytest.raises(InvalidState) as refused:
        penerima.ajukan_keberatan(alasan="lagi", oleh=IBU, sekarang=PADA)
    assert refused.value.code == "keberatan_terbuka"
    penerima.jawab_keberatan(
        keputusan=DITERIMA, jawaban="Alamat baru terverifikasi", oleh=DINSOS, sekarang=PADA
    )
    assert penerima.pending == [
        KeberatanDiajukan(
            penerima_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            alasan="Kami pindah RT, masih di desa yang sama",
            diajukan_oleh=IBU,
            diajukan_pada=PADA,
        ),
        KeberatanDijawab(
            penerima_id=USULAN_ID,
            pengurus_nik_hash=IBU,
            keputusan=DITERIMA,
            jawaban="Alamat baru terverifikasi",
            dijawab_oleh=DINSOS,
            dijawab_pada=PADA,
        ),
    ]
    assert penerima.status == DIKELUARKAN  # the answer alone reactivates nothing


def test_an_answer_needs_an_open_appeal_and_a_valid_decision():
    penerima = penerima_aktif()
    with pytest.raises(InvalidState) as refused:
        penerima.jawab_keberatan(keputusan=DITERIMA, jawaban="x", oleh=DINSOS, sekarang=PADA)
    assert refused.value.code == "tidak_ada_keberatan"
    penerima.ajukan_keberatan(alasan="Nominal kurang", oleh=IBU, sekarang=PADA)
    with pytest.raises(InvalidInput) as refused:
        penerima.jawab_keberatan(keputusan="MUNGKIN", jawaban="x", oleh=DINSOS, sekarang=PADA)
    assert refused.value.code == "keputusan_tidak_valid"


def test_personal_fields_are_declared_and_sealed_with_the_pengurus_key():
    penerima = penerima_aktif()
    penerima.tangguhkan(alasan=MENINGGAL, keterangan="akta", oleh="sistem", sekarang=PADA)
    [event] = penerima.pending
    assert event.personal_fields == ("keterangan",)
    assert event.data_subject() == IBU
