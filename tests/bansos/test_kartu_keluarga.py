"""The family-card replica from the bus's published ``KKDiupdate``: where Dukcapil says which
KK a member is on, eligibility takes its word over the KK a proposal claims, and the next
payment instruction reads the new composition."""

import uuid

import pytest

from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import KKDukcapil
from egov.contracts.bus import KKDiupdate
from egov.eventstore.domain import EventMetadata
from egov.eventstore.feed import read_feed
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.store import get_store
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_SD,
    ANAK_SMP,
    AYAH,
    IBU,
    KELUARGA_B,
    KK,
    KK_B,
    NIK_KELUARGA,
    NIK_KELUARGA_B,
    ajukan,
    buat_instruksi,
    jalankan_policy,
    konfigurasi,
    penerima,
    siklus_disetujui,
    verifikasi,
    verifikasi_ktp,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
KK_BARU = "b" * 64


def kk_diupdate(nomor_kk_hash: str, *anggota: str, lama: str = "") -> None:
    """Kemendagri's KK update as the bus publishes it (signed and logged there)."""
    event = KKDiupdate(
        nomor_kk_hash=nomor_kk_hash,
        nomor_kk_lama_hash=lama,
        anggota=tuple(anggota),
        alasan="PINDAH",
        instansi="kemendagri",
        message_id=str(uuid.uuid4()),
    )
    get_store("bus").append(
        stream_id=uuid.uuid4(),
        stream_type="Pesan",
        expected_version=0,
        events=[event],
        metadata=EventMetadata(actor="kemendagri", source="bus"),
    )


def policy() -> int:
    return run_projector(get_projector("bansos.kartu_keluarga"))


def test_a_member_dukcapil_puts_on_another_kk_fails_verification_with_that_reason():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    kk_diupdate(KK, IBU, ANAK_SD, ANAK_SMP)
    kk_diupdate(KK_BARU, AYAH, lama=KK)  # the father moved to a KK of his own
    policy()

    hasil = verifikasi(ajukan())

    assert [(t.kode, t.nik_hash) for t in hasil.gagal] == [("bukan_anggota_kk", AYAH)]


def test_the_same_household_on_its_registered_kk_passes():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()
    kk_diupdate(KK, IBU, AYAH, ANAK_SD, ANAK_SMP)
    policy()

    assert verifikasi(ajukan()).gagal == ()


def test_a_kk_change_after_the_decision_stops_the_next_payment():
    a, b = penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    siklus_id = siklus_disetujui()
    kk_diupdate(KK_BARU, AYAH, lama=KK)
    policy()

    hasil = buat_instruksi(siklus_id)

    assert (hasil.dibuat, hasil.dilewati) == ((instruksi_id(siklus_id, b),), ((a, "tidak_layak"),))


def test_the_replica_is_the_latest_kk_and_a_redelivery_changes_nothing():
    kk_diupdate(KK, AYAH)
    kk_diupdate(KK_BARU, AYAH, lama=KK)
    policy()
    projector = get_projector("bansos.kartu_keluarga")

    for recorded in read_feed("bus"):  # delivered again, in feed order
        projector.handle(recorded)

    assert list(KKDukcapil.objects.values_list("nik_hash", "nomor_kk_hash")) == [(AYAH, KK_BARU)]
