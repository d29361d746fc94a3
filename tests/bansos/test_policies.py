"""The identity policy: bansos's replica of Dukcapil identities, fed by the e-KTP context's
published events. A deactivated NIK suspends every running membership with that member and
cancels its pending payment instructions, once, however often the event is delivered."""

import pytest

from apps.bansos.domain.events import InstruksiDibatalkan, PenerimaDitangguhkan
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import IdentitasDukcapil, IndeksInstruksi, IndeksPenerima
from egov import clock
from egov.eventstore.models import Checkpoint
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_SD,
    IBU,
    IBU_B,
    KELUARGA_B,
    KK_B,
    NIK_ANAK_SD,
    NIK_IBU,
    NIK_IBU_B,
    NIK_KELUARGA_B,
    aktifkan_kembali_nik,
    buat_instruksi,
    event_stream,
    jalankan_policy,
    jenis_event,
    konfigurasi,
    lapor,
    metadata_terakhir,
    nonaktifkan_nik,
    penerima,
    siklus_disetujui,
    verifikasi_ktp,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
MENINGGAL_PADA = wib(2025, 4, 16, 10, 0)


def test_the_replica_follows_verification_deactivation_and_reactivation():
    verifikasi_ktp(NIK_IBU)
    jalankan_policy()
    assert IdentitasDukcapil.objects.values_list("nik_hash", "status", "alasan").get() == (
        IBU,
        "VERIFIED",
        "",
    )
    sumber = nonaktifkan_nik(NIK_IBU, alasan="GANDA")
    jalankan_policy()
    row = IdentitasDukcapil.objects.get()
    assert (row.status, row.alasan, row.sumber_event_id) == ("NONAKTIF", "GANDA", str(sumber))
    aktifkan_kembali_nik(NIK_IBU)
    jalankan_policy()
    assert IdentitasDukcapil.objects.values_list("status", "alasan").get() == ("VERIFIED", "")


def test_a_death_after_instructions_suspends_the_household_and_cancels_its_instruction():
    a = penerima()
    b = penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    ia = instruksi_id(siklus_id, a)

    with clock.frozen(MENINGGAL_PADA):
        sumber = nonaktifkan_nik(NIK_ANAK_SD, alasan="MENINGGAL")
        jalankan_policy()

    assert event_stream(a)[-1] == PenerimaDitangguhkan(
        penerima_id=a,
        pengurus_nik_hash=IBU,
        alasan="MENINGGAL",
        keterangan="",
        nik_hash=ANAK_SD,
        ditangguhkan_oleh="bansos.identitas",
        ditangguhkan_pada=MENINGGAL_PADA,
    )
    assert event_stream(siklus_id)[-1] == InstruksiDibatalkan(
        instruksi_id=ia, penerima_id=a, alasan="MENINGGAL", dibatalkan_pada=MENINGGAL_PADA
    )
    metadata = metadata_terakhir(siklus_id)
    assert (metadata["actor"], metadata["source"], metadata["causation_id"]) == (
        "bansos.identitas",
        "policy",
        str(sumber),
    )
    assert IndeksPenerima.objects.get(penerima_id=a).status == "DITANGGUHKAN"
    assert IndeksInstruksi.objects.get(instruksi_id=ia).status == "DIBATALKAN"
    assert jenis_event(b)[-1] == "PenerimaDitetapkan"  # the other household is untouched
    assert IndeksInstruksi.objects.get(penerima_id=b).status == "DIBUAT"


def test_a_redelivered_or_replayed_death_changes_nothing_more():
    a = penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    nonaktifkan_nik(NIK_ANAK_SD, alasan="MENINGGAL")
    jalankan_policy()
    sebelum = (jenis_event(a), jenis_event(siklus_id))

    nonaktifkan_nik(NIK_ANAK_SD, alasan="MENINGGAL")  # published again (a retried command)
    jalankan_policy()
    Checkpoint.objects.using("bansos_read").filter(projector="bansos.identitas").delete()
    jalankan_policy()  # the whole ktp feed again, from its first event

    assert (jenis_event(a), jenis_event(siklus_id)) == sebelum
    assert jenis_event(siklus_id).count("InstruksiDibatalkan") == 1


def test_a_deactivation_for_another_reason_suspends_as_nik_nonaktif():
    a = penerima()
    nonaktifkan_nik(NIK_IBU, alasan="GANDA")
    jalankan_policy()
    event = event_stream(a)[-1]
    assert (event.alasan, event.nik_hash) == ("NIK_NONAKTIF", IBU)


def test_money_already_paid_is_not_cancelled():
    a = penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    lapor(instruksi_id(siklus_id, a), "TERSALUR", ntx="BRI-1", nominal=600_000)

    nonaktifkan_nik(NIK_ANAK_SD, alasan="MENINGGAL")
    jalankan_policy()

    assert jenis_event(a)[-1] == "PenerimaDitangguhkan"
    assert jenis_event(siklus_id)[-1] == "DanaDisalurkan"


def test_a_reactivated_nik_leaves_the_household_suspended_for_an_officer():
    a = penerima()
    nonaktifkan_nik(NIK_IBU, alasan="MENINGGAL")
    aktifkan_kembali_nik(NIK_IBU)
    jalankan_policy()
    assert jenis_event(a)[-1] == "PenerimaDitangguhkan"
    assert IdentitasDukcapil.objects.get(nik_hash=IBU).status == "VERIFIED"


def test_a_nik_of_nobody_only_updates_the_replica():
    nonaktifkan_nik(NIK_IBU_B, alasan="MENINGGAL")
    jalankan_policy()
    assert IdentitasDukcapil.objects.values_list("nik_hash", "status").get() == (
        IBU_B,
        "NONAKTIF",
    )
    assert not IndeksPenerima.objects.exists()
