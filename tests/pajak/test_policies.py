"""The identity policy: pajak's replica of Dukcapil-verified identities, fed by the e-KTP
context's published events. A verification made by the real ktp commands lets the citizen
activate their NPWP; a deactivated NIK (the published contract class, appended to ktp's feed:
no ktp command produces it yet) opens a review once, never a deregistration."""

from datetime import date

import pytest

from apps.ktp import commands as ktp
from apps.ktp.models import KtpEvent
from apps.ktp.roles import GRUP_PETUGAS as PETUGAS_DUKCAPIL
from apps.pajak import commands
from apps.pajak.domain.events import PeninjauanWajibPajakDibuka
from apps.pajak.domain.wajib_pajak import wajib_pajak_stream_id
from apps.pajak.models import IdentitasDukcapil, IndeksWajibPajak
from egov import clock
from egov.eventstore.domain import DomainError
from egov.eventstore.models import Checkpoint
from egov.eventstore.pseudonym import keyed_hash
from tests.pajak.perintah import (  # noqa: F401 - konfigurasi: a fixture
    NIK,
    NIK_LAIN,
    WARGA,
    aktifkan,
    event_terakhir,
    jalankan_policy,
    jenis_event,
    konfigurasi,
    meta,
    nonaktifkan_nik,
    refused,
    verifikasi_ktp,
    wib,
)
from tests.principals import counter_officer

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
LOKET = counter_officer(PETUGAS_DUKCAPIL, "petugas-dukcapil")


def ktp_diverifikasi_oleh_dukcapil(nik: str) -> None:
    """The real e-KTP flow: request at the counter, biometrics, central deduplication."""
    permohonan_id = ktp.ktp_ajukan(
        principal=LOKET,
        nik=nik,
        nama="Siti Aminah",
        tanggal_lahir=date(1985, 8, 17),
        pernah_kawin=False,
        jenis="BARU",
        metadata=LOKET.metadata(source="test"),
    )
    ktp.ktp_rekam_biometrik(
        principal=LOKET,
        permohonan_id=permohonan_id,
        template_hash="ab" * 32,
        lokasi="Disdukcapil Kota Bandung",
        metadata=LOKET.metadata(source="test"),
    )
    assert ktp.ktp_periksa_pusat(permohonan_id=permohonan_id, metadata=meta()) == "VERIFIED"


def aktifkan_npwp():
    return commands.pajak_aktifkan_npwp(
        principal=WARGA, nik=NIK, nama="Siti Aminah", metadata=meta()
    )


def test_a_verification_by_the_ktp_context_lets_the_citizen_activate_their_npwp():
    ktp_diverifikasi_oleh_dukcapil(NIK)
    refused(DomainError, "nik_belum_terverifikasi", aktifkan_npwp)  # the policy has not run

    assert jalankan_policy() >= 1
    diverifikasi = KtpEvent.objects.using("ktp").get(event_type="KTPDiverifikasi")
    row = IdentitasDukcapil.objects.get()
    assert (row.nik_hash, row.status, row.sumber_event_id) == (
        keyed_hash(NIK),
        "TERVERIFIKASI",
        str(diverifikasi.event_id),
    )
    wp_id = aktifkan_npwp()
    assert jenis_event(wp_id) == ["WajibPajakTerdaftar"]
    assert jalankan_policy() == 0  # the checkpoint moved: nothing replayed


def test_a_deactivated_nik_opens_a_review_once_and_deregisters_nobody():
    wp_id = aktifkan()
    with clock.frozen(wib(2026, 2, 10, 8, 0)):
        sumber = nonaktifkan_nik(NIK, alasan="Meninggal dunia")
        jalankan_policy()
        nonaktifkan_nik(NIK, alasan="Meninggal dunia")  # published again (a retried command)
        jalankan_policy()
    assert jenis_event(wp_id) == ["WajibPajakTerdaftar", "PeninjauanWajibPajakDibuka"]
    assert event_terakhir(wp_id) == PeninjauanWajibPajakDibuka(
        subjek_id=keyed_hash(NIK),
        alasan="Meninggal dunia",
        sumber=str(sumber),
        dibuka_pada=wib(2026, 2, 10, 8, 0),
    )
    row = IndeksWajibPajak.objects.get()
    assert (row.peninjauan, row.jenis) == (True, "OP")  # still registered
    assert IdentitasDukcapil.objects.get().status == "NONAKTIF"


def test_replaying_the_ktp_feed_changes_nothing():
    wp_id = aktifkan()
    nonaktifkan_nik(NIK)
    jalankan_policy()
    Checkpoint.objects.using("pajak_read").filter(projector="pajak.identitas").delete()
    jalankan_policy()  # the whole ktp feed again, from its first event
    assert jenis_event(wp_id) == ["WajibPajakTerdaftar", "PeninjauanWajibPajakDibuka"]
    assert IdentitasDukcapil.objects.get().status == "NONAKTIF"  # the latest event still wins


def test_a_deactivated_nik_of_someone_not_registered_only_updates_the_replica():
    nonaktifkan_nik(NIK_LAIN, alasan="")
    jalankan_policy()
    assert IdentitasDukcapil.objects.values_list("nik_hash", "status").get() == (
        keyed_hash(NIK_LAIN),
        "NONAKTIF",
    )
    assert jenis_event(wajib_pajak_stream_id(keyed_hash(NIK_LAIN))) == []


def test_a_nik_deactivated_before_registration_is_refused():
    verifikasi_ktp(NIK)
    nonaktifkan_nik(NIK)
    jalankan_policy()
    refused(DomainError, "nik_nonaktif", aktifkan_npwp)


def test_an_empty_reason_from_dukcapil_still_opens_a_review_with_one():
    wp_id = aktifkan()
    nonaktifkan_nik(NIK, alasan="")
    jalankan_policy()
    assert event_terakhir(wp_id).alasan == "NIK dinonaktifkan oleh Dukcapil."
