"""Business owners are excluded from bansos from izin's published events: an individual who
got an NIB (``NIBDiterbitkan``, PERORANGAN) is put on the exclusion list once, so the next
payment instruction skips the household; a company's NIB names no person."""

import uuid

import pytest

from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import DaftarPengecualian
from egov.contracts.izin import BADAN_USAHA, PERORANGAN, NIBDiterbitkan
from egov.eventstore.domain import EventMetadata
from egov.eventstore.feed import read_feed
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.store import get_store
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    AYAH,
    KELUARGA_B,
    KK_B,
    NIK_AYAH,
    NIK_KELUARGA_B,
    buat_instruksi,
    konfigurasi,
    penerima,
    siklus_disetujui,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]


def nib_terbit(*, nik: str = NIK_AYAH, nik_hash: str = AYAH, jenis: str = PERORANGAN) -> None:
    """izin issued an NIB, as its store records it (bansos only reads the published event)."""
    event = NIBDiterbitkan(
        nib="1234567890123",
        jenis_pelaku=jenis,
        nama_usaha="Warung Pak Budi",
        nik=nik if jenis == PERORANGAN else "",
        nik_hash=nik_hash if jenis == PERORANGAN else "",
        nama_pemilik="Budi" if jenis == PERORANGAN else "",
        nomor_badan_usaha="" if jenis == PERORANGAN else "AHU-0001",
    )
    get_store("izin").append(
        stream_id=uuid.uuid4(),
        stream_type="PelakuUsaha",
        expected_version=0,
        events=[event],
        metadata=EventMetadata(actor="izin-test", source="test"),
    )


def policy() -> int:
    return run_projector(get_projector("bansos.pemilik_usaha"))


def test_an_individual_owner_is_excluded_once_and_the_household_is_not_paid():
    a, b = penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    siklus_id = siklus_disetujui()
    nib_terbit()

    policy()
    policy()  # nothing new: nothing twice

    rows = DaftarPengecualian.objects.using("bansos").values_list("nik_hash", "kategori", "sumber")
    assert list(rows) == [(AYAH, "PEMILIK_USAHA", "OSS NIB 1234567890123")]
    hasil = buat_instruksi(siklus_id)
    assert (hasil.dibuat, hasil.dilewati) == ((instruksi_id(siklus_id, b),), ((a, "tidak_layak"),))


def test_redelivering_the_event_adds_nothing():
    nib_terbit()
    policy()
    projector = get_projector("bansos.pemilik_usaha")

    for recorded in read_feed("izin"):  # delivered again, as after a crash before the checkpoint
        projector.handle(recorded)

    assert DaftarPengecualian.objects.using("bansos").count() == 1


def test_a_company_nib_names_no_person_and_excludes_nobody():
    nib_terbit(jenis=BADAN_USAHA)

    policy()

    assert not DaftarPengecualian.objects.using("bansos").exists()


def test_only_bansos_own_policy_records_a_fact_from_another_context():
    from apps.bansos.commands.pengecualian import bansos_catat_pengecualian
    from egov.principals import AccessDenied
    from tests.bansos.perintah import DINSOS

    with pytest.raises(AccessDenied) as refused:
        bansos_catat_pengecualian(
            principal=DINSOS, nik_hash=AYAH, kategori="PEMILIK_USAHA", sumber="ketikan petugas"
        )

    assert refused.value.code == "bukan_sistem"
    assert not DaftarPengecualian.objects.using("bansos").exists()
