"""The message doors' decision (NATS now, any broker later): ack what was accepted (again:
the first answer), terminate what will never be valid, redeliver on anything else."""

from __future__ import annotations

import json

import pytest

from apps.bus import pintu
from tests.bus.pesan import KEMDIKBUD, amplop, daftar_instansi, log

pytestmark = pytest.mark.django_db(databases="__all__")


def test_an_accepted_envelope_is_acked_and_a_redelivery_too():
    daftar_instansi()
    data = json.dumps(amplop()).encode()

    first = pintu.putuskan(data, pintu="nats")
    again = pintu.putuskan(data, pintu="nats")

    assert (first.tindakan, again.tindakan) == (pintu.ACK, pintu.ACK)
    assert again.jawaban == first.jawaban
    assert len(log()) == 2


@pytest.mark.parametrize(
    ("data", "alasan"),
    [
        (b"{not json", "amplop_tidak_sah"),
        (json.dumps(amplop(kunci=KEMDIKBUD)).encode(), "tanda_tangan_tidak_sah"),
        (
            json.dumps(amplop(event_type="NISNDiverifikasi", payload={})).encode(),
            "amplop_tidak_sah",
        ),
    ],
)
def test_an_envelope_that_will_never_be_valid_is_terminated(data, alasan):
    daftar_instansi()
    assert pintu.putuskan(data, pintu="nats") == pintu.Keputusan(pintu.TERM, alasan=alasan)
    assert log() == []


def test_a_failure_of_egov_asks_for_a_redelivery(monkeypatch):
    daftar_instansi()

    def down(**kwargs):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(pintu, "bus_terima_pesan", down)
    decision = pintu.putuskan(json.dumps(amplop()).encode(), pintu="nats")
    assert (decision.tindakan, decision.alasan) == (pintu.NAK, "ConnectionError")
