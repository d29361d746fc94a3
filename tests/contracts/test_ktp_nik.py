"""The NIK deactivation e-KTP appends is the published ``NIKDinonaktifkan``: other contexts
read it through ``egov.contracts`` from the feed they receive, and izin's and pajak's replicas
mark the NIK deactivated."""

import pytest

from apps.izin.models import IdentitasTerverifikasi
from apps.ktp import commands
from apps.ktp import domain as ktp_domain
from apps.pajak.domain.rules import TERVERIFIKASI
from apps.pajak.models import IdentitasDukcapil
from egov import contracts
from egov.contracts.ktp import AKTIF, NONAKTIF, VERIFIED, NIKDiaktifkanKembali, NIKDinonaktifkan
from egov.eventstore.domain import ERASED
from egov.eventstore.feed import read_feed
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from tests.ktp.conftest import LOKET, NIK
from tests.support import committed

NIK_HASH = keyed_hash(NIK)
NOTE = "Akta kematian 3273-KM-01122026-0001"


def _deactivate() -> None:
    with committed("ktp"):
        commands.ktp_nonaktifkan_nik(
            principal=LOKET,
            nik_hash=NIK_HASH,
            alasan="MENINGGAL",
            keterangan=NOTE,
            metadata=LOKET.metadata(source="test"),
        )


def test_ktp_appends_the_contract_class_itself():
    assert ktp_domain.NIKDinonaktifkan is NIKDinonaktifkan
    assert NIKDinonaktifkan in ktp_domain.EVENTS
    assert contracts.published_events()["ktp.NIKDinonaktifkan"] is NIKDinonaktifkan


@pytest.mark.django_db(databases="__all__")
def test_other_contexts_read_the_deactivation_without_the_officers_note():
    _deactivate()

    received = [e for e in read_feed("ktp") if contracts.is_event(e, NIKDinonaktifkan)]

    assert len(received) == 1
    assert received[0].payload["nik_hash"] == NIK_HASH
    assert NOTE not in str(received[0].payload)
    assert contracts.read(NIKDinonaktifkan, received[0]) == NIKDinonaktifkan(
        nik_hash=NIK_HASH, alasan="MENINGGAL", keterangan=ERASED, status=NONAKTIF
    )


@pytest.mark.django_db(databases="__all__")
def test_izin_and_pajak_replicas_mark_the_nik_deactivated():
    _deactivate()

    for name in ("izin.identitas", "pajak.identitas"):
        run_projector(get_projector(name))

    assert IdentitasTerverifikasi.objects.using("izin").get(nik_hash=NIK_HASH).status == NONAKTIF
    assert IdentitasDukcapil.objects.using("pajak").get(nik_hash=NIK_HASH).status == NONAKTIF


@pytest.mark.django_db(databases="__all__")
def test_a_reactivated_nik_is_verified_again_in_izin_and_pajak():
    _deactivate()
    with committed("ktp"):
        commands.ktp_aktifkan_kembali_nik(
            principal=LOKET,
            nik_hash=NIK_HASH,
            keterangan="Salah catat: pemilik NIK masih hidup",
            metadata=LOKET.metadata(source="test"),
        )
    received = [e for e in read_feed("ktp") if contracts.is_event(e, NIKDiaktifkanKembali)]

    for name in ("izin.identitas", "pajak.identitas"):
        run_projector(get_projector(name))

    assert [contracts.read(NIKDiaktifkanKembali, e) for e in received] == [
        NIKDiaktifkanKembali(nik_hash=NIK_HASH, keterangan=ERASED, status=AKTIF)
    ]
    assert IdentitasTerverifikasi.objects.using("izin").get(nik_hash=NIK_HASH).status == VERIFIED
    assert IdentitasDukcapil.objects.using("pajak").get(nik_hash=NIK_HASH).status == TERVERIFIKASI
