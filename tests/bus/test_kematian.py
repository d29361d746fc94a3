"""A death certificate sent over the bus deactivates the NIK in e-KTP (a policy running
ktp's own command), and the other contexts react to that as to an officer's deactivation.
A death about a NIK e-KTP does not know is kept as a dead letter, never dropped."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from apps.bansos.models import IndeksPenerima
from apps.izin.models import IdentitasTerverifikasi
from apps.ktp.models import KematianTertunda
from apps.ktp.policies import coba_lagi_kematian
from apps.ktp.store import store as ktp_store
from apps.pajak.models import IdentitasDukcapil
from egov.contracts.ktp import NIKDinonaktifkan
from egov.eventstore.models import Checkpoint
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    IBU,
    NIK_IBU,
    event_stream,
    konfigurasi,
    penerima,
    verifikasi_ktp,
)
from tests.bus.pesan import KEMATIAN, amplop, daftar_instansi
from tests.principals import officer, principal

pytestmark = pytest.mark.django_db(databases="__all__")


def lapor_kematian(nik: str) -> tuple[str, str]:
    """Kemendagri sends a death certificate; returns (message id, routed event id)."""
    daftar_instansi()
    response = APIClient().post(
        "/api/v1/bus/pesan/", amplop({**KEMATIAN, "nik": nik}), format="json"
    )
    assert response.status_code == 202, response.json()
    return response.json()["message_id"], response.json()["event_ids"][0]


def kematian_policy() -> int:
    return run_projector(get_projector("ktp.kematian"))


def deactivations(nik: str) -> list:
    rows = ktp_store.event_model.objects.using("ktp").filter(
        subject_id=keyed_hash(nik), event_type=NIKDinonaktifkan.event_type()
    )
    return list(rows)


def test_a_death_deactivates_a_known_nik_once_caused_by_the_bus_event():
    verifikasi_ktp(NIK_IBU)  # e-KTP knows the NIK
    message_id, bus_event = lapor_kematian(NIK_IBU)

    kematian_policy()
    Checkpoint.objects.using("ktp_read").filter(projector="ktp.kematian").delete()
    kematian_policy()  # the whole bus feed again: nothing more

    [row] = deactivations(NIK_IBU)
    assert (row.payload["alasan"], row.payload["status"]) == ("MENINGGAL", "NONAKTIF")
    assert NIK_IBU not in str(row.payload)
    assert row.metadata["causation_id"] == bus_event
    assert row.metadata["correlation_id"] == message_id
    assert (row.metadata["actor"], row.metadata["source"]) == ("ktp.kematian", "policy")
    assert not KematianTertunda.objects.using("ktp_read").exists()


def test_an_unknown_nik_is_kept_as_a_dead_letter_and_applied_on_retry():
    message_id, bus_event = lapor_kematian(NIK_IBU)  # e-KTP has never seen this NIK

    kematian_policy()
    Checkpoint.objects.using("ktp_read").filter(projector="ktp.kematian").delete()
    kematian_policy()

    assert deactivations(NIK_IBU) == []
    letter = KematianTertunda.objects.using("ktp_read").get()
    assert (str(letter.bus_event_id), letter.message_id, letter.nik_hash) == (
        bus_event,
        message_id,
        IBU,
    )
    assert (letter.galat, letter.percobaan, letter.diterapkan) == (
        "NIK tidak dikenal e-KTP",
        1,
        False,
    )

    petugas = principal(officer("petugas_dukcapil", "petugas_dukcapil"))
    meta = petugas.metadata(source="admin")
    assert (
        coba_lagi_kematian(principal=petugas, bus_event_id=letter.bus_event_id, metadata=meta)
        is False
    )
    verifikasi_ktp(NIK_IBU)  # the NIK becomes known
    assert coba_lagi_kematian(principal=petugas, bus_event_id=letter.bus_event_id, metadata=meta)

    letter.refresh_from_db()
    assert (letter.percobaan, letter.diterapkan) == (3, True)
    [row] = deactivations(NIK_IBU)
    assert (row.metadata["causation_id"], row.metadata["correlation_id"]) == (bus_event, message_id)


@pytest.mark.usefixtures("konfigurasi")
def test_a_death_flows_from_the_bus_to_ktp_and_on_to_bansos_izin_and_pajak():
    household = penerima()  # verified by Dukcapil, a PKH recipient (the mother is pengurus)
    message_id, _ = lapor_kematian(NIK_IBU)

    kematian_policy()
    for name in ("bansos.identitas", "izin.identitas", "pajak.identitas"):
        run_projector(get_projector(name))

    suspended = event_stream(household)[-1]
    assert (type(suspended).__name__, suspended.alasan, suspended.nik_hash) == (
        "PenerimaDitangguhkan",
        "MENINGGAL",
        IBU,
    )
    assert IndeksPenerima.objects.using("bansos").get(penerima_id=household).status == (
        "DITANGGUHKAN"
    )
    assert IdentitasTerverifikasi.objects.using("izin").get(nik_hash=IBU).status == "NONAKTIF"
    assert IdentitasDukcapil.objects.using("pajak").get(nik_hash=IBU).status == "NONAKTIF"
    bansos_meta = _metadata_terakhir(household)
    assert bansos_meta["correlation_id"] == message_id  # one chain, from the agency's message


def _metadata_terakhir(stream_id: uuid.UUID) -> dict:
    from apps.bansos.models import BansosEvent

    return BansosEvent.objects.filter(stream_id=stream_id).order_by("-version")[0].metadata
