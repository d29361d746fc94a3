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


@pytest.mark.parametrize(
    ("event_type", "baru"),
    [
        # schema 3 of a proposal adds the bank account too: none for an old one
        ("UsulanPenerimaDiajukan", {"diajukan_oleh_id": "", "rekening_hash": ""}),
        ("SiklusPenyaluranDibuat", {"dibuat_oleh_id": ""}),
    ],
)
def test_an_event_written_before_officer_ids_loads_with_an_empty_id(event_type, baru):
    payload = {"diajukan_oleh": "operator-desa", "dibuat_oleh": "operator-desa"}

    assert registry.upcast(event_type, 1, payload) == {**payload, **baru}


def test_a_proposal_written_before_bank_accounts_loads_with_none():
    payload = {"diajukan_oleh": "operator-desa", "diajukan_oleh_id": "user:7"}

    assert registry.upcast("UsulanPenerimaDiajukan", 2, payload) == {
        **payload,
        "rekening_hash": "",
    }


def test_four_eyes_compare_ids_and_names_only_for_an_event_without_an_id():
    from apps.bansos.domain.usulan import petugas_sama

    assert petugas_sama(("user:1", "ani"), ("user:1", "ani baru"))
    assert not petugas_sama(("user:1", "ani"), ("user:2", "ani"))
    assert petugas_sama(("user:2", "ani"), ("", "ani"))  # schema 1: only the name is known
    assert not petugas_sama(("user:2", "budi"), ("", "ani"))
