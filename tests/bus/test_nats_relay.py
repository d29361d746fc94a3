"""The outbound relay on a real NATS JetStream server: exactly the published events, without
personal fields, message id = event id, each once in the stream whatever crashes."""

from __future__ import annotations

import signal

import pytest

from apps.bus import relay as relay_mod
from apps.bus import terbitan
from apps.bus.models import BusEvent, CheckpointRelay
from tests.bus.natsuji import isi_stream, kematian_di_feed, manage, nik_ke, terima
from tests.bus.pesan import daftar_instansi
from tests.support import wait_until

pytestmark = pytest.mark.nats
HORIZON = 300  # seconds


def _relay(ns, **kwargs) -> relay_mod.Relay:
    _url, names, koneksi = ns
    return relay_mod.Relay(
        koneksi,
        konteks=["bus"],
        subjek_prefix=names.subjek_keluar,
        stream_prefix=names.stream_keluar,
        **kwargs,
    )


@pytest.mark.django_db(databases="__all__")
def test_the_relay_publishes_exactly_the_published_events_without_personal_fields(nats_ns):
    _url, names, koneksi = nats_ns
    daftar_instansi()
    terima(3)
    relay = _relay(nats_ns)

    assert relay.siklus() == 3
    assert relay.siklus() == 0

    stream = f"{names.stream_keluar}_BUS"
    messages = isi_stream(koneksi, stream)
    assert [m.headers["Nats-Msg-Id"] for m in messages] == kematian_di_feed()
    for i, message in enumerate(messages):
        assert message.subjek == f"{names.subjek_keluar}.bus.KematianDicatat"
        body = message.json
        assert body["event_id"] == message.headers["Nats-Msg-Id"]
        assert body["event_type"] == "KematianDicatat"
        assert "nomor_akta" not in body["payload"]  # personal: never leaves egov
        assert set(body["payload"]) == {"nik_hash", "tanggal_kematian", "instansi", "message_id"}
        assert nik_ke(i).encode() not in message.data
        assert b"AKTA-" not in message.data
        assert "actor" not in body
        assert "metadata" not in body
    # the message log entries (PesanDiterima) are the bus's own: never published
    assert all("PesanDiterima" not in m.subjek for m in messages)


@pytest.mark.django_db(databases="__all__")
def test_a_republished_batch_is_dropped_by_the_broker_and_the_checkpoint_catches_up(nats_ns):
    _url, names, koneksi = nats_ns
    daftar_instansi()
    terima(4)
    assert _relay(nats_ns).siklus() == 4
    stream = f"{names.stream_keluar}_BUS"

    # the crash window: acked, checkpoint not committed. Within the duplicate window the
    # broker drops the republished messages (message id = event id)...
    CheckpointRelay.objects.using("bus").filter(stream=stream).update(tx=0, position=0)
    assert _relay(nats_ns, rekonsiliasi=False).siklus() == 4
    assert [m.headers["Nats-Msg-Id"] for m in isi_stream(koneksi, stream)] == kematian_di_feed()

    # ...and after it, a restart starts from the stream's last message instead
    CheckpointRelay.objects.using("bus").filter(stream=stream).update(tx=0, position=0)
    assert _relay(nats_ns).siklus() == 0
    terima(1, mulai=10)
    assert _relay(nats_ns).siklus() == 1
    assert [m.headers["Nats-Msg-Id"] for m in isi_stream(koneksi, stream)] == kematian_di_feed()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_relay_killed_mid_batch_and_restarted_loses_and_duplicates_nothing(nats_ns):
    url, names, koneksi = nats_ns
    daftar_instansi()
    terima(120)
    stream = f"{names.stream_keluar}_BUS"
    args = (
        "bus_relay", "--url", url, "--konteks", "bus",
        "--subject-prefix", names.subjek_keluar, "--stream-prefix", names.stream_keluar,
    )  # fmt: skip

    def stored() -> int:
        try:
            return koneksi.run(koneksi.js.stream_info(stream)).state.messages
        except Exception:
            return 0

    proc = manage(*args, "--batch", "30", "--laju", "150")
    try:
        # HORIZON: the feed is held back while any session on the server keeps a writing
        # transaction open (docs/architecture.md, "Feeds"); a shared server may do so a while
        assert wait_until(lambda: stored() >= 40, timeout=HORIZON), proc.log()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    at_kill = stored()
    checkpoint = CheckpointRelay.objects.using("bus").get(stream=stream)
    assert 0 < at_kill < 120
    assert checkpoint.diterbitkan <= at_kill  # acked messages the checkpoint has not counted

    terima(10, mulai=500)  # written while the relay is down
    again = manage(*args, "--jeda", "0.2")
    try:
        assert wait_until(lambda: stored() >= 130, timeout=HORIZON), again.log()
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=30) == 0, again.log()
    finally:
        if again.poll() is None:
            again.kill()

    messages = isi_stream(koneksi, stream)
    ids = [m.headers["Nats-Msg-Id"] for m in messages]
    assert len(ids) == len(set(ids)) == 130
    stored_ids = BusEvent.objects.using("bus").filter(event_type="KematianDicatat")
    assert set(ids) == {str(i) for i in stored_ids.values_list("event_id", flat=True)}
    cursors = [terbitan.baca_kursor(m.headers["Egov-Kursor"]) for m in messages]
    assert cursors == sorted(cursors)  # the feed's order
