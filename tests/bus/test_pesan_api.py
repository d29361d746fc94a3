"""The HTTP door: a signed envelope is logged and routed once; every refusal appends nothing.

An agency authenticates each message by its signature; no login is involved (roles.py)."""

from __future__ import annotations

import copy
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from rest_framework.test import APIClient

from apps.bus.domain.amplop import canonical_json, header_of
from apps.bus.domain.kunci import tandatangani
from apps.bus.store import store
from egov.contracts.bus import KematianDicatat
from egov.eventstore.domain import ERASED
from egov.eventstore.feed import read_feed
from egov.eventstore.pseudonym import keyed_hash
from tests.bus.pesan import KEMDIKBUD, NIK, amplop, daftar_instansi, log

pytestmark = pytest.mark.django_db(databases="__all__")
URL = "/api/v1/bus/pesan/"


def kirim(body, **headers):
    return APIClient().post(URL, body, format="json", **headers)


def test_a_signed_death_certificate_is_logged_and_routed_once():
    daftar_instansi()
    body = amplop()

    response = kirim(body)

    assert response.status_code == 202, response.json()
    answer = response.json()
    stream = body["message_id"]
    assert answer["message_id"] == stream
    assert answer["status"] == "DITERIMA"
    assert answer["bukti"] == f"/api/v1/bus/bukti/{stream}/"
    assert log() == [(stream, "PesanDiterima"), (stream, "KematianDicatat")]
    entry, routed = store.load(uuid.UUID(stream))
    assert answer["event_log"] == str(entry.event_id)
    assert answer["event_ids"] == [str(routed.event_id)]
    assert routed.event == KematianDicatat(
        nik_hash=keyed_hash(NIK),
        tanggal_kematian="2026-11-20",
        nomor_akta="3273-KM-20112026-0001",
        instansi="kemendagri",
        message_id=stream,
    )
    assert entry.event.header == header_of(body)
    assert entry.event.signature == body["signature"]
    assert (routed.metadata["actor"], routed.metadata["correlation_id"]) == (
        "instansi:kemendagri",
        stream,
    )


def test_the_clear_nik_is_never_stored_nor_published():
    daftar_instansi()
    kirim(amplop())

    stored = [(r.payload, r.metadata, r.subject_id) for r in store.event_model.objects.all()]
    assert NIK not in str(stored)
    assert "3273-KM-20112026-0001" not in str(stored)  # the certificate number is sealed
    published = [e for e in read_feed("bus") if e.event_type == "KematianDicatat"]
    assert published[0].payload["nik_hash"] == keyed_hash(NIK)
    assert "nomor_akta" not in published[0].payload
    store.forget_subject(keyed_hash(NIK), metadata=_meta())
    assert store.load(published[0].stream_id)[1].event.nomor_akta == ERASED


def _meta():
    from egov.eventstore.domain import EventMetadata

    return EventMetadata(actor="uji", source="test", reason="hak hapus")


def test_the_same_message_again_gets_the_first_answer_and_appends_nothing():
    daftar_instansi()
    body = amplop()
    first = kirim(body)

    again = kirim(copy.deepcopy(body))

    assert (again.status_code, again.json()) == (202, first.json())
    assert len(log()) == 2


def test_another_envelope_under_a_used_message_id_is_refused():
    daftar_instansi()
    body = amplop()
    kirim(body)
    other = amplop(
        {**body["payload"], "tanggal_kematian": "2026-11-19"},
        message_id=uuid.UUID(body["message_id"]),
    )

    response = kirim(other)

    assert (response.status_code, response.json()["code"]) == (409, "message_id_dipakai")
    assert len(log()) == 2


def _refused(body, status: int, code: str, field: str | None = None) -> None:
    response = kirim(body)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert response.json().get("field") == field
    assert log() == []


def test_an_unknown_agency_is_refused():
    _refused(amplop(), 401, "instansi_tidak_dikenal")


def test_an_inactive_agency_is_refused():
    daftar_instansi(aktif=False)
    _refused(amplop(), 401, "instansi_tidak_dikenal")


def test_a_signature_by_another_key_is_refused():
    daftar_instansi()
    _refused(amplop(kunci=KEMDIKBUD), 401, "tanda_tangan_tidak_sah")


def test_a_changed_header_breaks_the_signature():
    daftar_instansi()
    body = amplop()
    body["case_reference"] = "KM/2026/11/9999"
    _refused(body, 401, "tanda_tangan_tidak_sah")


def test_a_payload_other_than_the_one_signed_is_refused():
    daftar_instansi()
    body = amplop()
    body["payload"]["tanggal_kematian"] = "2026-01-01"
    _refused(body, 401, "hash_isi_tidak_cocok")


def test_an_event_type_the_agency_may_not_publish_is_refused():
    daftar_instansi("kemdikbud", kunci=KEMDIKBUD, jenis=("NISNDiverifikasi",))
    _refused(amplop(agency="kemdikbud", kunci=KEMDIKBUD), 403, "jenis_tidak_diizinkan")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("signature"), "signature"),
        (lambda b: b.update(message_id="bukan-uuid"), "message_id"),
        (lambda b: b.update(occurred_at="21-11-2026"), "occurred_at"),
        (lambda b: b.update(occurred_at="2026-11-21T09:30:00"), "occurred_at"),
        (lambda b: b.update(event_type="IzinDisetujui"), "event_type"),
        (lambda b: b.update(payload_hash="abc"), "payload_hash"),
        (lambda b: b.update(extra="x"), "extra"),
        (lambda b: b["payload"].update(nik="123"), "payload.nik"),
        (lambda b: b["payload"].update(tanggal_kematian="2999-01-01"), "payload.tanggal_kematian"),
        (lambda b: b["payload"].pop("nomor_akta"), "payload.nomor_akta"),
        (lambda b: b["payload"].update(umur=1.5), "payload.umur"),
    ],
)
def test_a_malformed_envelope_is_refused_naming_the_field(change, field):
    daftar_instansi()
    body = amplop()
    change(body)
    _refused(body, 400, "amplop_tidak_sah", field)


def test_a_body_that_is_no_object_is_refused():
    _refused([1, 2], 400, "amplop_tidak_sah", "amplop")


def test_no_session_or_token_lets_an_unsigned_envelope_in(django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@x.id", "pw")
    client = APIClient()
    client.force_login(admin)
    body = amplop()
    body["signature"] = tandatangani(KEMDIKBUD, canonical_json(header_of(body)))
    daftar_instansi()

    response = client.post(URL, body, format="json")

    assert (response.status_code, response.json()["code"]) == (401, "tanda_tangan_tidak_sah")
    assert log() == []


def test_a_family_card_update_keeps_only_hashes():
    daftar_instansi()
    payload = {
        "nomor_kk": "3273010101200001",
        "nomor_kk_lama": "3273010101100009",
        "anggota": [NIK, "3273010101800002"],
        "alasan": "PINDAH",
    }
    response = kirim(amplop(payload, event_type="KKDiupdate"))

    assert response.status_code == 202, response.json()
    routed = store.load(uuid.UUID(response.json()["message_id"]))[1].event
    assert routed.nomor_kk_hash == keyed_hash("3273010101200001", purpose="kk")
    assert routed.anggota == (keyed_hash(NIK), keyed_hash("3273010101800002"))
    assert NIK not in str(store.event_model.objects.values_list("payload", flat=True))


def test_the_admin_registers_an_agency_and_shows_the_log_read_only(django_user_model):
    from django.test import Client

    from apps.bus.domain.kunci import mentah_base64
    from apps.bus.models import Instansi
    from tests.bus.pesan import KEMENDAGRI

    admin = django_user_model.objects.create_superuser("root", "r@x.id", "pw")
    client = Client()
    client.force_login(admin)
    pem = KEMENDAGRI.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    response = client.post(
        "/admin/bus/instansi/add/",
        {
            "kode": "kemendagri",
            "nama": "Kementerian Dalam Negeri",
            "jenis_peristiwa": ["KematianDicatat"],
            "kunci_publik": pem.decode(),
            "aktif": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    instansi = Instansi.objects.using("bus").get()
    assert instansi.kunci_publik == mentah_base64(KEMENDAGRI.public_key())  # PEM -> raw
    assert instansi.jenis_peristiwa == ["KematianDicatat"]
    assert kirim(amplop()).status_code == 202
    assert client.get("/admin/bus/busevent/").status_code == 200
    assert client.get("/admin/bus/busevent/add/").status_code == 403
    bad = client.post(
        "/admin/bus/instansi/add/", {"kode": "x1", "nama": "X", "kunci_publik": "abc"}
    )
    assert bad.status_code == 200
    assert Instansi.objects.using("bus").count() == 1
