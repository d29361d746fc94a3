"""The envelope's canonical form and signature, in plain Python (no database)."""

from __future__ import annotations

import hashlib

import pytest

from apps.bus.domain.amplop import baca_amplop, canonical_json, header_of, payload_hash
from apps.bus.domain.galat import AmplopTidakSah
from apps.bus.domain.kunci import KunciTidakSah, mentah_base64, muat_kunci_publik, sah
from apps.bus.domain.rute import JENIS
from tests.bus.pesan import KEMDIKBUD, KEMENDAGRI, amplop


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_utf8():
    value = {"b": [1, True, None], "a": "Gunung Kidul — Wonosari", "c": {"z": 1, "y": "é"}}
    assert canonical_json(value) == (
        '{"a":"Gunung Kidul — Wonosari","b":[1,true,null],"c":{"y":"é","z":1}}'.encode()
    )
    assert payload_hash(value) == hashlib.sha256(canonical_json(value)).hexdigest()


def test_the_signature_covers_the_header_and_the_header_binds_the_payload():
    body = amplop()
    pesan = baca_amplop(body, jenis_dikenal=JENIS)
    key = KEMENDAGRI.public_key()

    assert pesan.signed_bytes() == canonical_json(header_of(body))
    assert set(header_of(body)) == set(body) - {"payload", "signature"}
    assert sah(key, pesan.signed_bytes(), body["signature"])
    assert not sah(KEMDIKBUD.public_key(), pesan.signed_bytes(), body["signature"])
    assert not sah(key, pesan.signed_bytes(), "bukan base64!")
    assert body["payload_hash"] == payload_hash(body["payload"])


def test_a_public_key_is_read_from_pem_or_raw_base64():
    from cryptography.hazmat.primitives import serialization

    key = KEMENDAGRI.public_key()
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    assert mentah_base64(muat_kunci_publik(pem)) == mentah_base64(key)
    assert mentah_base64(muat_kunci_publik(mentah_base64(key))) == mentah_base64(key)
    with pytest.raises(KunciTidakSah):
        muat_kunci_publik("AAAA")


def test_the_first_wrong_field_is_named():
    body = amplop()
    del body["agency"]
    with pytest.raises(AmplopTidakSah) as refused:
        baca_amplop(body, jenis_dikenal=JENIS)
    assert (refused.value.field, refused.value.code, refused.value.status_code) == (
        "agency",
        "amplop_tidak_sah",
        400,
    )
