"""The NATS JetStream door on a real server: a durable pull consumer on gov.<agency>.<Type>,
each delivery decided by the one pipeline (ack / term / nak), poison messages parked."""

from __future__ import annotations

import contextlib
import json
import uuid

import pytest
from django.core.management import call_command

from apps.bus import pintu
from apps.bus.domain.kunci import pem_privat
from apps.bus.models import PesanTerparkir
from apps.bus.nats_door import BATAS_KIRIM_SERVER, SUBJEK_TIDAK_COCOK, PintuNats
from apps.bus.parkir import putar_ulang
from egov.observability import logs
from tests.bus.pesan import (
    KEMATIAN,
    KEMDIKBUD,
    KEMENDAGRI,
    NIK,
    amplop,
    daftar_instansi,
    log,
    teks_mentah,
)

pytestmark = [pytest.mark.nats, pytest.mark.django_db(databases="__all__")]


@pytest.fixture
def door(nats_ns):
    _url, names, koneksi = nats_ns
    door = PintuNats(
        koneksi,
        stream=names.stream_masuk,
        subjek_prefix=names.subjek_masuk,
        durable=f"egov-bus-{names.kode}",
        max_deliver=3,
        jeda_nak=(0.1, 0.1),
    )
    door.siapkan()
    return door


def kirim(door: PintuNats, envelope: dict, *, msg_id: str | None = None, subjek: str = ""):
    subject = subjek or f"{door.subjek_prefix}.{envelope['agency']}.{envelope['event_type']}"
    headers = {"Nats-Msg-Id": msg_id or envelope["message_id"]}
    data = json.dumps(envelope).encode()
    return door.koneksi.run(door.koneksi.js.publish(subject, data, headers=headers))


def kuras(door: PintuNats, *, timeout: float = 1.0) -> int:
    """Settle every delivery until none comes within ``timeout``."""
    total = 0
    while count := door.proses(timeout=timeout):
        total += count
    return total


def pending(door: PintuNats) -> tuple[int, int]:
    info = door.koneksi.run(door.koneksi.js.consumer_info(door.stream, door.durable))
    return info.num_pending, info.num_ack_pending


def test_the_inbound_stream_keeps_envelopes_for_a_limited_time(door, settings):
    """Envelopes name citizens in clear: JetStream drops them after the retention, and a
    changed retention is applied to the existing stream."""
    info = door.koneksi.run(door.koneksi.js.stream_info(door.stream))
    assert info.config.max_age == 14 * 86_400

    settings.BUS_STREAM_MASUK_RETENSI_HARI = 3
    door._sub = None
    door.siapkan()

    info = door.koneksi.run(door.koneksi.js.stream_info(door.stream))
    assert info.config.max_age == 3 * 86_400


def test_a_signed_envelope_published_twice_with_one_message_id_is_applied_once(door):
    daftar_instansi()
    envelope = amplop()
    first, again = kirim(door, envelope), kirim(door, envelope)
    assert again.duplicate  # JetStream's de-dup window: stored once

    assert kuras(door) == 1
    message_id = envelope["message_id"]
    assert log() == [(message_id, "PesanDiterima"), (message_id, "KematianDicatat")]
    assert pending(door) == (0, 0)
    assert first.seq == again.seq


def test_a_message_is_settled_under_its_message_id_as_correlation(door, monkeypatch):
    """Log lines and tasks caused by a message carry its id, as for a web request."""
    daftar_instansi()
    envelope = amplop()
    seen = []
    settle = door._selesaikan
    monkeypatch.setattr(
        door, "_selesaikan", lambda message: (seen.append(logs.correlation_id()), settle(message))
    )
    kirim(door, envelope)

    assert kuras(door) == 1
    assert seen == [envelope["message_id"]]
    assert logs.correlation_id() == ""  # nothing leaks past the message


def test_a_failed_delivery_is_redelivered_and_then_applied_once(door, monkeypatch):
    daftar_instansi()
    envelope = amplop()
    real = pintu.bus_terima_pesan
    calls = []

    def down_once(**kwargs):
        calls.append(kwargs["pintu"])
        if len(calls) == 1:
            raise ConnectionError("database unreachable")
        return real(**kwargs)

    monkeypatch.setattr(pintu, "bus_terima_pesan", down_once)
    kirim(door, envelope)
    # the same envelope under another broker message id: stored twice, applied once
    kirim(door, envelope, msg_id=str(uuid.uuid4()))

    assert kuras(door) == 3  # nak, then the redelivery and the copy, both acked
    assert calls == ["nats", "nats", "nats"]
    assert [t for _s, t in log()] == ["PesanDiterima", "KematianDicatat"]
    assert pending(door) == (0, 0)
    assert PesanTerparkir.objects.using("bus").count() == 0


@pytest.mark.parametrize(
    "envelope",
    [
        pytest.param(lambda: amplop(kunci=KEMDIKBUD), id="bad-signature"),
        pytest.param(lambda: amplop(agency="tak-dikenal"), id="unknown-agency"),
    ],
)
def test_an_envelope_that_will_never_be_valid_is_terminated_and_appends_nothing(door, envelope):
    daftar_instansi()
    kirim(door, envelope())

    assert kuras(door) == 1
    assert log() == []
    assert pending(door) == (0, 0)  # terminated: never redelivered


def test_a_subject_naming_another_agency_is_terminated(door, caplog):
    daftar_instansi()
    envelope = amplop()
    kirim(door, envelope, subjek=f"{door.subjek_prefix}.kemdikbud.KematianDicatat")

    assert kuras(door) == 1
    assert log() == []
    assert SUBJEK_TIDAK_COCOK in caplog.text


def test_a_poison_message_is_parked_after_max_deliver_and_replayed_after_the_fix(door, monkeypatch):
    daftar_instansi()
    envelope = amplop()

    def broken(**kwargs):
        raise RuntimeError("subscriber bug")

    monkeypatch.setattr(pintu, "bus_terima_pesan", broken)
    kirim(door, envelope)
    assert kuras(door) == 3  # delivered max_deliver times

    parked = PesanTerparkir.objects.using("bus").get()
    assert (parked.percobaan, parked.galat) == (3, "RuntimeError")
    assert parked.subjek == f"{door.subjek_prefix}.kemendagri.KematianDicatat"
    assert parked.message_id == envelope["message_id"]
    assert pending(door) == (0, 0)
    assert log() == []

    monkeypatch.undo()  # the fix is deployed
    assert putar_ulang(parked).tindakan == pintu.ACK
    parked.refresh_from_db()
    assert parked.hasil == pintu.ACK
    assert bytes(parked.data) == b""  # settled: the clear payload is not kept
    assert [t for _s, t in log()] == ["PesanDiterima", "KematianDicatat"]


def test_bus_send_publishes_the_signed_envelope_on_nats(door, nats_ns, tmp_path, capsys):
    url, _names, _koneksi = nats_ns
    daftar_instansi()
    key = tmp_path / "kemendagri.key"
    key.write_bytes(pem_privat(KEMENDAGRI))
    payload = tmp_path / "kematian.json"
    payload.write_text(json.dumps(KEMATIAN))
    message_id = str(uuid.uuid4())
    args = ["--agency", "kemendagri", "--type", "KematianDicatat", "--key", str(key)]
    nats = ["--nats", url, "--subject-prefix", door.subjek_prefix, "--message-id", message_id]

    call_command("bus_send", str(payload), *args, *nats)
    answer = json.loads(capsys.readouterr().out)
    assert answer["subject"] == f"{door.subjek_prefix}.kemendagri.KematianDicatat"
    assert (answer["message_id"], answer["duplicate"]) == (message_id, False)

    assert kuras(door) == 1
    assert log() == [(message_id, "PesanDiterima"), (message_id, "KematianDicatat")]


def test_a_message_the_server_stopped_redelivering_is_parked_not_lost(nats_ns):
    """A consumer killed at every delivery never settles it: after max_deliver deliveries
    JetStream gives up and says so (MAX_DELIVERIES advisory); the door parks the message."""
    _url, names, koneksi = nats_ns
    door = PintuNats(
        koneksi, stream=names.stream_masuk, subjek_prefix=names.subjek_masuk,
        durable=f"egov-bus-{names.kode}", max_deliver=2, ack_wait=1.0,
    )  # fmt: skip
    door.siapkan()
    daftar_instansi()
    envelope = amplop()
    kirim(door, envelope)

    deliveries = []
    for _ in range(10):  # each delivery dies with its consumer: fetched, never settled
        if len(deliveries) == door.max_deliver:
            break
        with contextlib.suppress(TimeoutError):
            deliveries += [m.metadata.num_delivered for m in door.koneksi.run(door._sub.fetch(1))]
    assert deliveries == [1, 2]

    for _ in range(20):  # the next pull after ack_wait: the server gives up, the door parks
        door.proses(timeout=1.0)
        if PesanTerparkir.objects.using("bus").exists():
            break
    parked = PesanTerparkir.objects.using("bus").get()
    assert (parked.urutan, parked.percobaan, parked.galat) == (1, 2, BATAS_KIRIM_SERVER)
    assert parked.subjek == f"{door.subjek_prefix}.kemendagri.KematianDicatat"
    assert parked.message_id == envelope["message_id"]
    assert NIK not in teks_mentah("bus")
    assert log() == []
    assert pending(door) == (0, 0)
    assert door.parkir_yang_dihentikan() == 0  # the advisory was settled once
    assert PesanTerparkir.objects.using("bus").count() == 1

    assert putar_ulang(parked).tindakan == pintu.ACK
    assert [t for _s, t in log()] == ["PesanDiterima", "KematianDicatat"]
