"""Taxpayer registration (NIK as NPWP only once Dukcapil verified it), branches, PKP, and the
review a deactivated NIK opens."""

import dataclasses
import uuid
from datetime import date

import pytest

from apps.pajak.domain import events
from apps.pajak.domain.events import (
    EVENTS,
    PeninjauanWajibPajakDibuka,
    PKPDikukuhkan,
    TKUDidaftarkan,
    WajibPajakTerdaftar,
)
from apps.pajak.domain.rules import NONAKTIF, TERVERIFIKASI
from apps.pajak.domain.wajib_pajak import (
    IdentitasDukcapil,
    WajibPajak,
    identitas_dari_ktp,
    wajib_pajak_stream_id,
)
from egov.contracts.ktp import KTPDiverifikasi, NIKDinonaktifkan
from egov.eventstore.domain import InvalidInput, InvalidState
from tests.pajak.factories import (
    NIK,
    NIK_HASH,
    NPWP_BADAN,
    NPWP_BADAN_15,
    SUBJEK_BADAN,
    badan,
    orang_pribadi,
    wib,
)

NOW = wib(2025, 1, 6, 9, 0)


def _daftar(identitas: IdentitasDukcapil | None, nik: str = NIK) -> WajibPajak:
    wp = WajibPajak(wajib_pajak_stream_id(NIK_HASH))
    wp.daftar_orang_pribadi(
        nik=nik, nik_hash=NIK_HASH, nama=" Siti Aminah ", identitas=identitas, sekarang=NOW
    )
    return wp


def test_an_individual_with_a_verified_nik_is_registered_with_the_nik_as_npwp():
    wp = _daftar(IdentitasDukcapil(NIK_HASH, TERVERIFIKASI))
    assert wp.pending == [
        WajibPajakTerdaftar(
            subjek_id=NIK_HASH,
            jenis="OP",
            npwp=NIK,
            nama="Siti Aminah",
            kode_wilayah=NIK[:4],
            terdaftar_pada=NOW,
        )
    ]
    assert (wp.terdaftar, wp.jenis, wp.npwp) == (True, "OP", NIK)


@pytest.mark.parametrize(
    ("identitas", "code"),
    [
        (None, "nik_belum_terverifikasi"),  # Dukcapil never verified it
        (IdentitasDukcapil("c" * 64, TERVERIFIKASI), "nik_belum_terverifikasi"),  # another NIK
        (IdentitasDukcapil(NIK_HASH, NONAKTIF), "nik_nonaktif"),
    ],
)
def test_an_individual_is_not_registered_without_a_verified_active_nik(identitas, code):
    with pytest.raises(InvalidState) as refused:
        _daftar(identitas)
    assert refused.value.code == code


def test_an_invalid_nik_is_refused_before_the_replica_is_asked():
    with pytest.raises(InvalidInput) as refused:
        _daftar(IdentitasDukcapil(NIK_HASH, TERVERIFIKASI), nik="3273015708850000")
    assert refused.value.code == "nik_tidak_valid"


def test_registering_twice_is_refused():
    wp = orang_pribadi()
    with pytest.raises(InvalidState) as refused:
        wp.daftar_orang_pribadi(
            nik=NIK,
            nik_hash=NIK_HASH,
            nama="Siti",
            identitas=IdentitasDukcapil(NIK_HASH, TERVERIFIKASI),
            sekarang=NOW,
        )
    assert refused.value.code == "sudah_terdaftar"
    assert len(wp.pending) == 1


def test_the_replica_follows_the_published_ktp_events():
    verified = KTPDiverifikasi(nik_hash=NIK_HASH, nik=NIK, officer_id="p", timestamp="t")
    deactivated = NIKDinonaktifkan(nik_hash=NIK_HASH, alasan="KEMATIAN")
    assert identitas_dari_ktp(verified, sumber="e1") == IdentitasDukcapil(
        NIK_HASH, TERVERIFIKASI, "e1"
    )
    assert identitas_dari_ktp(deactivated).status == NONAKTIF


def test_a_company_registers_with_its_npwp16_from_the_old_15_digits():
    wp = WajibPajak(wajib_pajak_stream_id(SUBJEK_BADAN))
    wp.daftar_badan(
        npwp=NPWP_BADAN_15,
        subjek_id=SUBJEK_BADAN,
        nama="PT Maju Jaya",
        kode_wilayah="3273",
        sekarang=NOW,
    )
    assert wp.pending == [
        WajibPajakTerdaftar(
            subjek_id=SUBJEK_BADAN,
            jenis="BADAN",
            npwp=NPWP_BADAN,
            nama="PT Maju Jaya",
            kode_wilayah="3273",
            terdaftar_pada=NOW,
        )
    ]


def test_a_company_npwp_with_a_wrong_check_digit_is_refused():
    wp = WajibPajak(uuid.uuid4())
    with pytest.raises(InvalidInput) as refused:
        wp.daftar_badan(
            npwp="013121661091000",
            subjek_id=SUBJEK_BADAN,
            nama="PT X",
            kode_wilayah="3273",
            sekarang=NOW,
        )
    assert refused.value.code == "npwp_check_digit"
    assert wp.pending == []


def test_a_branch_gets_a_nitku_under_the_company_npwp():
    wp = badan()
    wp.daftar_tku(nitku=NPWP_BADAN + "000001", nama_tku="Cabang Bandung", sekarang=NOW)
    assert wp.pending[-1] == TKUDidaftarkan(
        subjek_id=SUBJEK_BADAN,
        nitku=NPWP_BADAN + "000001",
        kode_tku="000001",
        nama_tku="Cabang Bandung",
        didaftarkan_pada=NOW,
    )


@pytest.mark.parametrize(
    ("nitku", "error", "code"),
    [
        (NPWP_BADAN + "000000", InvalidInput, "nitku_pusat"),
        ("0016090524017000000001", InvalidInput, "nitku_bukan_milik"),
        (NPWP_BADAN + "000001", InvalidState, "nitku_sudah_ada"),
    ],
)
def test_a_branch_code_that_is_the_head_office_foreign_or_taken_is_refused(nitku, error, code):
    wp = badan()
    wp.daftar_tku(nitku=NPWP_BADAN + "000001", nama_tku="Cabang Bandung", sekarang=NOW)
    with pytest.raises(error) as refused:
        wp.daftar_tku(nitku=nitku, nama_tku="Cabang", sekarang=NOW)
    assert refused.value.code == code


def test_a_business_is_confirmed_as_pkp_once():
    wp = badan()
    wp.kukuhkan_pkp(tanggal_pengukuhan=date(2025, 2, 1), petugas="p1", sekarang=NOW)
    assert wp.pending[-1] == PKPDikukuhkan(
        subjek_id=SUBJEK_BADAN,
        tanggal_pengukuhan=date(2025, 2, 1),
        petugas="p1",
        dikukuhkan_pada=NOW,
    )
    with pytest.raises(InvalidState) as refused:
        wp.kukuhkan_pkp(tanggal_pengukuhan=date(2025, 2, 1), petugas="p1", sekarang=NOW)
    assert refused.value.code == "sudah_pkp"


def test_an_unregistered_taxpayer_cannot_become_pkp():
    with pytest.raises(InvalidState) as refused:
        WajibPajak(uuid.uuid4()).kukuhkan_pkp(
            tanggal_pengukuhan=date(2025, 2, 1), petugas="p1", sekarang=NOW
        )
    assert refused.value.code == "belum_terdaftar"


def test_death_opens_a_review_once_and_deregisters_nobody():
    wp = orang_pribadi()
    assert wp.buka_peninjauan(alasan="KEMATIAN", sumber="ktp-e9", sekarang=NOW) is True
    assert wp.buka_peninjauan(alasan="KEMATIAN", sumber="ktp-e9", sekarang=NOW) is False
    assert wp.pending[1:] == [
        PeninjauanWajibPajakDibuka(
            subjek_id=NIK_HASH, alasan="KEMATIAN", sumber="ktp-e9", dibuka_pada=NOW
        )
    ]
    assert (wp.terdaftar, wp.peninjauan_terbuka) == (True, True)
    with pytest.raises(InvalidState) as refused:
        wp.kukuhkan_pkp(tanggal_pengukuhan=date(2025, 2, 1), petugas="p1", sekarang=NOW)
    assert refused.value.code == "dalam_peninjauan"


def test_a_deactivated_nik_of_no_taxpayer_opens_nothing():
    assert (
        WajibPajak(uuid.uuid4()).buka_peninjauan(alasan="KEMATIAN", sumber="e", sekarang=NOW)
        is False
    )
    assert badan().buka_peninjauan(alasan="KEMATIAN", sumber="e", sekarang=NOW) is False


def test_replay_rebuilds_the_taxpayer():
    wp = badan(pkp=True)
    stored = [
        type(e).from_payload(e.to_payload()) for e in wp.collect()
    ]  # as the store reloads them
    again = WajibPajak.rehydrate(wp.id, stored)
    assert (again.jenis, again.npwp, again.pkp, again.version) == ("BADAN", NPWP_BADAN, True, 2)


# --- events: shape and storage -----------------------------------------------------------------
def test_every_event_is_registered_and_round_trips_through_its_payload():
    declared = {
        obj
        for obj in vars(events).values()
        if isinstance(obj, type) and obj.__module__ == events.__name__
    }
    assert set(EVENTS) == declared
    wp = badan(pkp=True)
    for event in wp.pending:
        assert type(event).from_payload(event.to_payload()) == event


def test_numbers_that_may_be_a_nik_are_personal_fields_of_the_taxpayer_subject():
    for event_class, fields in (
        (WajibPajakTerdaftar, ("npwp", "nama")),
        (TKUDidaftarkan, ("nitku",)),
    ):
        assert event_class.personal_fields == fields
        assert event_class.subject_field == "subjek_id"
    for event_class in EVENTS:
        names = {f.name for f in dataclasses.fields(event_class)}
        assert not {"npwp", "nitku", "nik"} & (names - set(event_class.personal_fields))
