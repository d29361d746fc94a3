"""Doors of the inbound bus: how a message-oriented transport (NATS JetStream now, Kafka
later) hands envelopes to the one pipeline (``commands.bus_terima_pesan``).

The HTTP door (``api.py``) answers with a status code. A message door instead tells the
broker what to do with the delivery, decided here for every adapter alike:

- ``ACK``: accepted, or the same message id accepted before (the first answer stands);
- ``TERM`` with the refusal's code (``tanda_tangan_tidak_sah``...): the envelope will never
  become valid, so it must not be redelivered; the reason is logged;
- ``NAK``: anything else (the database unreachable, a bug): redeliver later; the pipeline is
  idempotent by message id, so a redelivery after a commit applies nothing twice.

An adapter implements ``PintuPesan``: it subscribes (``gov.<agency>.<EventType>`` subjects
for NATS, with a durable consumer), calls ``putuskan`` for each delivery and acks, terms or
naks accordingly. ``manage.py bus_consume`` runs the NATS adapter (``nats_door.py``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Protocol

from apps.bus.commands import Jawaban, bus_terima_pesan
from apps.bus.domain.galat import MSG_BUKAN_OBJEK as MSG_BUKAN_JSON
from apps.bus.domain.galat import AmplopTidakSah, PesanDitolak

logger = logging.getLogger(__name__)

ACK, TERM, NAK = "ACK", "TERM", "NAK"


@dataclass(frozen=True)
class Keputusan:
    """What the broker is told about one delivery."""

    tindakan: str  # ACK, TERM or NAK
    alasan: str = ""  # the refusal's code (TERM) or the error (NAK)
    jawaban: Jawaban | None = None


class PintuPesan(Protocol):
    """A message-oriented door (one per broker)."""

    nama: str  # "nats", "kafka": recorded as the log entry's ``pintu``

    def jalankan(self) -> None:
        """Consume until stopped, deciding each delivery with ``putuskan``."""


def putuskan(data: bytes, *, pintu: str) -> Keputusan:
    """Run one delivery's bytes through the pipeline and decide ack / term / nak."""
    try:
        amplop = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return _tolak(AmplopTidakSah("amplop", MSG_BUKAN_JSON), pintu)
    try:
        return Keputusan(ACK, jawaban=bus_terima_pesan(amplop=amplop, pintu=pintu))
    except PesanDitolak as refusal:
        return _tolak(refusal, pintu)
    except Exception as error:  # transient or a bug: the broker redelivers later
        logger.exception("bus %s: delivery failed, to be redelivered", pintu)
        return Keputusan(NAK, alasan=type(error).__name__)


def _tolak(refusal: PesanDitolak, pintu: str) -> Keputusan:
    field = f" ({refusal.field})" if refusal.field else ""
    logger.warning("bus %s: envelope refused: %s%s", pintu, refusal.code, field)
    return Keputusan(TERM, alasan=refusal.code)
