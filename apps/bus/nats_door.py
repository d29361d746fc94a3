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

A delivery can also end without the door deciding: the process is killed while handling it
(a message that crashes the consumer, OOM), or the parking itself fails (the database is
down). JetStream then redelivers after ``ack_wait`` and, once ``max_deliver`` deliveries are
spent, stops and emits the advisory ``$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.
<consumer>`` (``{"stream_seq", "deliveries"}``). The door keeps those advisories in a stream
of their own (``<stream>_ADVISORI``, work-queue retention: an acked advisory is removed), so
none is lost while no consumer runs, and before each batch parks every message they name:
read back from the stream by its sequence, with the error ``batas_kirim_server``. A message
the door had already parked keeps its row. Nothing the server gave up on is silently lost.

One message at a time, in the consumer's order; the ORM runs between the broker calls, never
inside the event loop (``nats_io``). Stop with SIGTERM: the delivery in hand is finished.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from nats.js.api import AckPolicy, ConsumerConfig, RetentionPolicy
from nats.js.errors import NotFoundError

from apps.bus.models import PesanTerparkir
from apps.bus.nats_io import KoneksiNats
from apps.bus.parkir import ALIAS, parkir
from apps.bus.pintu import ACK, TERM, Keputusan, putuskan
from egov.observability.logs import bound

logger = logging.getLogger(__name__)

SUBJEK_TIDAK_COCOK = "subjek_tidak_cocok"
BATAS_KIRIM_SERVER = "batas_kirim_server"  # parked from the server's MAX_DELIVERIES advisory
TIDAK_ADA_DI_STREAM = "batas_kirim_server: pesan tidak ada lagi di stream"
ADVISORI_BATAS_KIRIM = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES"


def retensi_stream_masuk() -> float:
    """Seconds JetStream keeps an inbound envelope (its payload names citizens in clear: UU
    PDP's storage limitation). Long enough to outlast any planned consumer outage, since an
    envelope older than this is dropped whether it was read or not; once read it lives on
    only as the message log's signed header and, if parked, sealed (apps/bus/parkir.py)."""
    return float(getattr(settings, "BUS_STREAM_MASUK_RETENSI_HARI", 14) * 86_400)


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
        self._sub_advisori = None

    @property
    def stream_advisori(self) -> str:
        return f"{self.stream}_ADVISORI"

    @property
    def subjek_advisori(self) -> str:
        return f"{ADVISORI_BATAS_KIRIM}.{self.stream}.{self.durable}"

    def siapkan(self) -> None:
        """The streams and the durable consumers exist (created once, reused after). The
        advisory stream first: an advisory is kept from the moment the consumer exists."""
        if self._sub is not None:
            return
        self.koneksi.pastikan_stream(
            self.stream_advisori,
            [self.subjek_advisori],
            replika=self.replika,
            retensi=RetentionPolicy.WORK_QUEUE,
        )
        self._sub_advisori = self._langganan(
            self.stream_advisori, self.subjek_advisori, f"{self.durable}-advisori", max_deliver=-1
        )
        subjek = f"{self.subjek_prefix}.>"
        self.koneksi.pastikan_stream(
            self.stream, [subjek], replika=self.replika, usia_maks=retensi_stream_masuk()
        )
        self._sub = self._langganan(self.stream, subjek, self.durable, max_deliver=self.max_deliver)

    def _langganan(self, stream: str, subjek: str, durable: str, *, max_deliver: int):
        config = ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            max_deliver=max_deliver,
            ack_wait=self.ack_wait,
            filter_subject=subjek,
        )
        return self.koneksi.run(
            self.koneksi.js.pull_subscribe(subjek, durable=durable, stream=stream, config=config)
        )

    def proses(self, *, timeout: float = 1.0) -> int:
        """Park what the server gave up on, then fetch and settle up to ``batch``
        deliveries; how many deliveries there were."""
        self.siapkan()
        self.parkir_yang_dihentikan()
        try:
            messages = self.koneksi.run(self._sub.fetch(self.batch, timeout=timeout))
        except TimeoutError:  # nats' own and asyncio's: nothing came within the timeout
            return 0
        for message in messages:
            # Log lines and the tasks the message causes carry its id (as over HTTP, where
            # the pipeline's events are correlated by the envelope's message id)
            with bound(correlation_id=(message.headers or {}).get("Nats-Msg-Id", "")):
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

    def parkir_yang_dihentikan(self) -> int:
        """Park every message named by a waiting ``MAX_DELIVERIES`` advisory; how many
        advisories were settled. An advisory whose parking fails is redelivered later."""
        info = self.koneksi.run(
            self.koneksi.js.consumer_info(self.stream_advisori, f"{self.durable}-advisori")
        )
        if not info.num_pending and not info.num_redelivered:
            return 0  # the usual case: one request, no waiting fetch
        try:
            messages = self.koneksi.run(self._sub_advisori.fetch(self.batch, timeout=0.5))
        except TimeoutError:
            return 0
        for message in messages:
            try:
                self._parkir_dari_advisori(json.loads(message.data))
            except Exception:
                logger.exception("bus nats: parking from an advisory failed; retried later")
                self.koneksi.run(message.nak(delay=self.jeda_nak[0] if self.jeda_nak else None))
                continue
            self.koneksi.run(message.ack())
        return len(messages)

    def _parkir_dari_advisori(self, advisori: dict) -> None:
        seq, attempts = int(advisori["stream_seq"]), int(advisori.get("deliveries", 0))
        if PesanTerparkir.objects.using(ALIAS).filter(stream=self.stream, urutan=seq).exists():
            return  # the door parked it itself (and its TERM was lost)
        try:
            raw = self.koneksi.run(self.koneksi.js.get_msg(self.stream, seq=seq))
        except NotFoundError:  # removed from the stream meanwhile (limits, an operator)
            raw = None
        parkir(
            stream=self.stream,
            urutan=seq,
            subjek=raw.subject if raw else "",
            data=(raw.data or b"") if raw else b"",
            galat=BATAS_KIRIM_SERVER if raw else TIDAK_ADA_DI_STREAM,
            percobaan=attempts,
        )

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
                self._sub = self._sub_advisori = None
                time.sleep(2)
