"""A producer may not change a published event's shape without a new version.

``published_events.json`` records the public shape (what other contexts receive: personal
fields removed) of every version ever published. Changing a field of a published class
without bumping its ``schema_version`` fails here; a new version fails until its shape is
recorded (add it, keep the old ones: consumers and upcasters still rely on them).
"""

import json
from pathlib import Path

import pytest

import apps.izin.domain.events
import apps.ktp.domain  # noqa: F401
from egov.contracts import public_shape, published_events

RECORDED = json.loads((Path(__file__).parent / "published_events.json").read_text())


@pytest.mark.parametrize("name", sorted(published_events()))
def test_a_published_event_keeps_the_shape_recorded_for_its_version(name):
    event_class = published_events()[name]
    key = f"{name}.v{event_class.schema_version}"

    assert key in RECORDED, f"new version {key}: record its shape in published_events.json"
    assert public_shape(event_class) == RECORDED[key]


def test_personal_fields_never_reach_other_contexts():
    for event_class in published_events().values():
        assert set(event_class.personal_fields).isdisjoint(public_shape(event_class))


def test_the_producers_append_the_contract_classes_themselves():
    from apps.izin.domain import events as izin_events
    from apps.ktp import domain as ktp_domain
    from egov.contracts import izin, ktp

    assert ktp_domain.KTPDiverifikasi is ktp.KTPDiverifikasi
    assert ktp.KTPDiverifikasi in ktp_domain.EVENTS
    assert izin_events.IzinDisetujui is izin.IzinDisetujui
    assert izin.IzinDisetujui in izin_events.EVENTS
