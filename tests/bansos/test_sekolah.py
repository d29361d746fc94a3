"""PKH conditionality from the bus: a school's verified enrolment of a child
(``NISNDiverifikasi``, published by the bus) records the child's school component as met for
the quarter, once however often it is delivered; a child in no conditional household, or
with no school component, records nothing."""

import uuid

import pytest

from apps.bansos.domain.events import KepatuhanDicatat
from egov import clock
from egov.contracts.bus import NISNDiverifikasi
from egov.eventstore.domain import EventMetadata
from egov.eventstore.feed import read_feed
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.store import get_store
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_SD,
    IBU,
    event_stream,
    konfigurasi,
    penerima,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
MEI = wib(2025, 5, 10, 9, 0)


def nisn_diverifikasi(nik_hash: str, message_id: str = "pesan-1") -> None:
    event = NISNDiverifikasi(
        nik_hash=nik_hash, nisn="0123456789", instansi="kemendikdasmen", message_id=message_id
    )
    get_store("bus").append(
        stream_id=uuid.uuid4(),
        stream_type="Pesan",
        expected_version=0,
        events=[event],
        metadata=EventMetadata(actor="kemendikdasmen", source="bus"),
    )


def policy() -> int:
    with clock.frozen(MEI):
        return run_projector(get_projector("bansos.sekolah"))


def kepatuhan(penerima_id) -> list:
    return [e for e in event_stream(penerima_id) if isinstance(e, KepatuhanDicatat)]


def test_a_verified_enrolment_records_the_childs_school_component_for_the_quarter():
    a = penerima()
    nisn_diverifikasi(ANAK_SD)

    policy()

    [dicatat] = kepatuhan(a)
    assert (dicatat.periode, dicatat.komponen, dicatat.patuh) == ("2025-TW2", "SD", True)
    assert dicatat.sumber == "NISNDiverifikasi kemendikdasmen pesan-1"


def test_delivered_again_it_records_nothing_more():
    a = penerima()
    nisn_diverifikasi(ANAK_SD)
    policy()
    projector = get_projector("bansos.sekolah")

    with clock.frozen(MEI):
        for recorded in read_feed("bus"):
            projector.handle(recorded)

    assert len(kepatuhan(a)) == 1


def test_a_member_with_no_school_component_records_nothing():
    a = penerima()
    nisn_diverifikasi(IBU)

    policy()

    assert kepatuhan(a) == []
