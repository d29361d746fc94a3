"""The NATS JetStream door of the inbound bus (``manage.py bus_consume``): a durable pull
consumer on stream ``GOV`` (subjects ``gov.<agency>.<EventType>``, created idempotently),
every delivery decided by the one pipeline (``pintu.putuskan``, as the HTTP door):

- ``ACK``: accepted, or the same message id accepted before (applied once);
- ``TERM``: refused for good (bad signature, unknown agency, malformed, or a subject that
  names another agency or event type than the signed envelope): logged with the reason, never
  redelivered, nothing appended;
- ``NAK``: egov failed (database away, a bug): redelivered after a growing delay; at the
  ``max_deliver``-th delivery the message is parked instead (``parkir.py``: the poison
  message list in the admin, with a replay action) and terminated.

One message at a time, in the consumer's order; the ORM runs between the broker calls, never
inside the event loop (``nats_io``). Stop with SIGTERM: the delivery in hand is finished.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from nats.js.api import AckPolicy, ConsumerConfig

from apps.bus.nats_io import KoneksiNats
from apps.bus.parkir import parkir
from apps.bus.pintu import ACK, TERM, Keputusan, putuskan

logger = logging.getLogger(__name__)

SUBJEK_TIDAK_COCOK = "subjek_tidak_cocok"


@dataclass
class PintuNats:
    """Implements ``pintu.PintuPesan`` for NATS JetStream."""

    koneksi: KoneksiNats
    stream: str = "GOV"
    subjek_prefix: str = "gov"
    durable: str = "egov-bus"
    max_deliver: int = 5
    ack_wait: float = 60.0
    jeda_nak: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0)  # delay before delivery 2, 3, ...
    batch: int = 10
    replika: int = 1
    nama: str = "nats"

    def __post_init__(self) -> None:
        self._sub = None

    def siapkan(self) -> None:
        """The stream and the durable consumer exist (created once, reused after)."""
        if self._sub is not None:
            return
        subjek = f"{self.subjek_prefix}.>"
        self.koneksi.pastikan_stream(self.stream, [subjek], replika=self.replika)
        config = ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            max_deliver=self.max_deliver,
            ack_wait=self.ack_wait,
            filter_subject=subjek,
        )
        self._sub = self.koneksi.run(
            self.koneksi.js.pull_subscribe(
                subjek, durable=self.durable, stream=self.stream, config=config
            )
        )

    def proses(self, *, timeout: float = 1.0) -> int:
        """Fetch and settle up to ``batch`` deliveries; how many there were."""
        self.siapkan()
        try:
            messages = self.koneksi.run(self._sub.fetch(self.batch, timeout=timeout))
        except TimeoutError:  # nats' own and asyncio's: nothing came within the timeout
            return 0
        for message in messages:
            self._selesaikan(message)
        self.koneksi.run(self.koneksi.nc.flush())
        return len(messages)

    def _selesaikan(self, message) -> Keputusan:
        meta = message.metadata
        attempts, seq = meta.num_delivered, meta.sequence.stream
        keputusan = self._putuskan(message.subject, message.data)
        if keputusan.tindakan == ACK:
            self.koneksi.run(message.ack())
        elif keputusan.tindakan == TERM:
            logger.warning(
                "bus nats: %s #%d terminated: %s", message.subject, seq, keputusan.alasan
            )
            self.koneksi.run(message.term())
        elif attempts >= self.max_deliver:
            parkir(
                stream=self.stream,
                urutan=seq,
                subjek=message.subject,
                data=message.data,
                galat=keputusan.alasan,
                percobaan=attempts,
            )
            self.koneksi.run(message.term())
        else:
            delay = self.jeda_nak[min(attempts, len(self.jeda_nak)) - 1] if self.jeda_nak else 0
            logger.warning(
                "bus nats: %s #%d delivery %d failed (%s); redelivery in %ss",
                message.subject, seq, attempts, keputusan.alasan, delay,
            )  # fmt: skip
            self.koneksi.run(message.nak(delay=delay or None))
        return keputusan

    def _putuskan(self, subjek: str, data: bytes) -> Keputusan:
        """The pipeline's decision; first, the subject must name the envelope's own agency
        and event type (``gov.<agency>.<EventType>``)."""
        try:
            amplop = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            amplop = None
        if isinstance(amplop, dict):
            expected = f"{self.subjek_prefix}.{amplop.get('agency')}.{amplop.get('event_type')}"
            if subjek != expected:
                logger.warning("bus nats: subject %s for an envelope of %s", subjek, expected)
                return Keputusan(TERM, alasan=SUBJEK_TIDAK_COCOK)
        return putuskan(data, pintu=self.nama)

    def jalankan(self, berhenti: Callable[[], bool] = lambda: False) -> None:
        """Consume until ``berhenti()``; a broker or database outage is waited out."""
        while not berhenti():
            try:
                self.proses()
            except Exception:
                logger.exception("bus nats: consuming failed; retrying")
                self._sub = None
                time.sleep(2)
