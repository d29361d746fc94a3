"""The proof of delivery verifies offline with the agency's public key, holds no personal
data, and keeps verifying after the citizen's data is erased."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rest_framework.test import APIClient

from apps.bus.domain.amplop import header_of, payload_hash
from apps.bus.domain.kunci import mentah_base64, sidik, verifikasi_bukti
from apps.bus.store import store
from egov.eventstore.domain import EventMetadata
from egov.eventstore.feed import read_feed
from egov.eventstore.projections import get_projector, rebuild, run_projector
from egov.eventstore.pseudonym import keyed_hash
from tests.bus.pesan import KEMATIAN, KEMDIKBUD, KEMENDAGRI, NIK, amplop, daftar_instansi

pytestmark = pytest.mark.django_db(databases="__all__")


def _kirim() -> tuple[dict, dict]:
    daftar_instansi()
    body = amplop()
    answer = APIClient().post("/api/v1/bus/pesan/", body, format="json").json()
    return body, answer


def _bukti(message_id: str):
    """The proof as the endpoint serves it, from the read side once projected."""
    run_projector(get_projector("bus.bukti"))
    return APIClient().get(f"/api/v1/bus/bukti/{message_id}/")


def test_the_proof_verifies_with_the_agencys_public_key_alone():
    body, answer = _kirim()

    response = _bukti(body["message_id"])

    assert response.status_code == 200
    bukti = json.loads(json.dumps(response.json()))  # as a third party receives it
    public = mentah_base64(KEMENDAGRI.public_key())
    assert verifikasi_bukti(bukti, public)
    # by hand, with nothing of egov's code: Ed25519 over the UTF-8 bytes of "kanonik"
    Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(
        base64.b64decode(bukti["signature"]), bukti["kanonik"].encode()
    )
    assert bukti["header"] == header_of(body)
    assert bukti["header"]["payload_hash"] == payload_hash(KEMATIAN)  # the agency's payload
    assert (bukti["kunci_publik"], bukti["sidik_kunci"]) == (
        public,
        sidik(KEMENDAGRI.public_key()),
    )
    assert bukti["diterima_pada"] == answer["diterima_pada"]
    assert bukti["event_log"]["event_id"] == answer["event_log"]
    assert [p["event_id"] for p in bukti["peristiwa"]] == answer["event_ids"]
    assert [p["event_type"] for p in bukti["peristiwa"]] == ["KematianDicatat"]


def test_the_proof_fails_with_another_key_or_a_changed_header():
    body, _ = _kirim()
    bukti = _bukti(body["message_id"]).json()

    assert not verifikasi_bukti(bukti, mentah_base64(KEMDIKBUD.public_key()))
    forged = {**bukti, "header": {**bukti["header"], "case_reference": "X"}, "kanonik": None}
    assert not verifikasi_bukti(forged, mentah_base64(KEMENDAGRI.public_key()))


def test_the_proof_holds_no_personal_data_and_survives_erasure():
    body, _ = _kirim()
    store.forget_subject(keyed_hash(NIK), EventMetadata(actor="dpo", source="test"))

    bukti = _bukti(body["message_id"]).json()

    assert NIK not in json.dumps(bukti)
    assert KEMATIAN["nomor_akta"] not in json.dumps(bukti)
    assert keyed_hash(NIK) not in json.dumps(bukti)
    assert verifikasi_bukti(bukti, mentah_base64(KEMENDAGRI.public_key()))


def test_an_unknown_message_has_no_proof():
    response = _bukti(str(uuid.uuid4()))
    assert (response.status_code, response.json()["code"]) == (404, "tidak_ditemukan")


def test_the_proof_is_projected_once_and_rebuilt_the_same():
    body, _answer = _kirim()
    first = _bukti(body["message_id"]).json()
    projector = get_projector("bus.bukti")

    for recorded in read_feed("bus"):  # delivered again
        projector.handle(recorded)
    again = _bukti(body["message_id"]).json()
    rebuild(projector)

    assert again == first == _bukti(body["message_id"]).json()
