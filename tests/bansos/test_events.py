"""The event registry: every event is registered, loads back equal from its stored payload,
and declares personal fields that exist with a subject to seal them for."""

import dataclasses

import pytest

from apps.bansos.domain import EVENTS
from apps.bansos.store import registry


def test_every_event_is_registered_once():
    names = [e.event_type() for e in EVENTS]
    assert len(names) == len(set(names)) == 22
    assert all(registry.knows(name) for name in names)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_personal_fields_exist_and_have_a_subject(event):
    fields = {f.name for f in dataclasses.fields(event)}
    assert set(event.personal_fields) <= fields
    if event.personal_fields:
        assert event.subject_field == "pengurus_nik_hash"
        assert event.subject_field in fields
    assert registry.personal_fields(event.event_type()) == event.personal_fields


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_no_field_holds_a_clear_nik(event):
    fields = {f.name for f in dataclasses.fields(event)}
    assert not fields & {"nik", "nomor_kk", "nama"}
