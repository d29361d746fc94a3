"""The outbound relay: each context's published events to NATS JetStream (issue 13).

A transactional outbox read from the feeds: the relay reads each context's gap-safe feed
(``egov.eventstore.feed``: only committed events, none skipped under concurrent writers) from
its checkpoint, and publishes the published contract events (``terbitan.bentuk_publik``: no
personal field) to ``egov.<context>.<EventType>`` in one stream per context
(``EGOV_<CONTEXT>``, subjects ``egov.<context>.>``, created or updated at start).

Exactly once in the stream, whatever crashes:
- each message's ``Nats-Msg-Id`` is the event id, and JetStream drops a message id it has
  already stored within its duplicate window (``nats_io.JENDELA_DUPLIKAT``);
- messages are published one after another, each waiting for its acknowledgement, so the
  stream holds the feed's order and its last message is a true high-water mark;
- the checkpoint (``CheckpointRelay``, one per stream) moves only after a whole batch was
  acknowledged. A crash between the acknowledgements and that commit republishes the batch's
  tail on restart: the duplicate window drops it, and at start the relay also moves the
  checkpoint up to the last message's own cursor (header ``Egov-Kursor``), so even a restart
  after the window has passed duplicates nothing.

Run it as its own process (``manage.py bus_relay``, in the Procfile) when ``NATS_URL`` is
set; one relay per deployment (two would only publish duplicates the broker drops).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F

from apps.bus import terbitan
from apps.bus.models import CheckpointRelay
from apps.bus.nats_io import KoneksiNats
from egov.eventstore import feed

logger = logging.getLogger(__name__)

ALIAS = "bus"
KURSOR = "Egov-Kursor"  # header: the event's feed cursor "<tx>.<position>"


def nama_stream(prefix: str, konteks: str) -> str:
    return f"{prefix}_{konteks.upper()}"


@dataclass
class Relay:
    koneksi: KoneksiNats
    konteks: list[str] = field(default_factory=terbitan.konteks_terbit)
    subjek_prefix: str = "egov"
    stream_prefix: str = "EGOV"
    batch: int = 500
    replika: int = 1
    laju: float = 0.0  # at most this many messages per second (0: as fast as acks come)
    rekonsiliasi: bool = True  # start from the stream's last message when it is further
    _siap: set[str] = field(default_factory=set)

    def stream(self, konteks: str) -> str:
        return nama_stream(self.stream_prefix, konteks)

    def subjek(self, konteks: str, event_type: str = ">") -> str:
        return f"{self.subjek_prefix}.{konteks}.{event_type}"

    def siklus(self) -> int:
        """Publish every context's new published events; returns how many were published."""
        return sum(self.susul(konteks) for konteks in self.konteks)

    def susul(self, konteks: str) -> int:
        """Catch one context up with its feed."""
        self._siapkan(konteks)
        published = 0
        while True:
            count, read = self.satu_batch(konteks)
            published += count
            if read < self.batch:
                return published

    def satu_batch(self, konteks: str) -> tuple[int, int]:
        """Publish one batch and then move the checkpoint; (published, feed rows read)."""
        stream = self.stream(konteks)
        checkpoint = _checkpoint(stream, konteks)
        start = (checkpoint.tx, checkpoint.position)
        rows = feed.read_feed(konteks, after=start, limit=self.batch)
        published = 0
        for row in rows:
            public = terbitan.bentuk_publik(row)
            if public is None:
                continue
            self._terbitkan(stream, self.subjek(konteks, row.event_type), public)
            published += 1
        if rows:
            end = rows[-1].cursor
            moved = (
                CheckpointRelay.objects.using(ALIAS)
                .filter(stream=stream, tx=start[0], position=start[1])
                .update(tx=end[0], position=end[1], diterbitkan=F("diterbitkan") + published)
            )
            if not moved:
                logger.warning("relay %s: checkpoint moved by another relay", stream)
        return published, len(rows)

    def _terbitkan(self, stream: str, subjek: str, public: dict) -> None:
        data = json.dumps(public, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        headers = {"Nats-Msg-Id": public["event_id"], KURSOR: public["kursor"]}
        began = time.monotonic()
        self.koneksi.run(
            self.koneksi.js.publish(subjek, data.encode(), stream=stream, headers=headers)
        )
        if self.laju:
            time.sleep(max(0.0, 1.0 / self.laju - (time.monotonic() - began)))

    def _siapkan(self, konteks: str) -> None:
        """Once per process and context: the stream exists, and the checkpoint is not behind
        the stream's last message (a crash after the acks, before the checkpoint's commit)."""
        if konteks in self._siap:
            return
        stream = self.stream(konteks)
        self.koneksi.pastikan_stream(stream, [self.subjek(konteks)], replika=self.replika)
        if self.rekonsiliasi:
            last = self._kursor_terakhir(stream)
            checkpoint = _checkpoint(stream, konteks)
            if last is not None and last > (checkpoint.tx, checkpoint.position):
                logger.info("relay %s: checkpoint moved up to the stream's last message", stream)
                CheckpointRelay.objects.using(ALIAS).filter(stream=stream).update(
                    tx=last[0], position=last[1]
                )
        self._siap.add(konteks)

    def _kursor_terakhir(self, stream: str) -> tuple[int, int] | None:
        info = self.koneksi.run(self.koneksi.js.stream_info(stream))
        if not info.state.messages:
            return None
        message = self.koneksi.run(self.koneksi.js.get_msg(stream, seq=info.state.last_seq))
        text = (message.headers or {}).get(KURSOR, "")
        try:
            return terbitan.baca_kursor(text) if text else None
        except ValueError:
            return None

    def jalankan(self, *, jeda: float = 1.0, berhenti: Callable[[], bool] = lambda: False) -> None:
        """Publish until ``berhenti()``; after an error (broker or database away) wait and
        start again from the checkpoint."""
        while not berhenti():
            try:
                count = self.siklus()
            except Exception:
                logger.exception("relay: publishing failed; retrying from the checkpoint")
                self._siap.clear()
                count = 0
                time.sleep(min(jeda * 5, 10))
            if not count:
                time.sleep(jeda)


def _checkpoint(stream: str, konteks: str) -> CheckpointRelay:
    checkpoint, _ = CheckpointRelay.objects.using(ALIAS).get_or_create(
        stream=stream, defaults={"konteks": konteks}
    )
    return checkpoint


def lag() -> list[dict]:
    """Each stream's checkpoint against its context's feed (``bus_relay --lag``)."""
    report = []
    for checkpoint in CheckpointRelay.objects.using(ALIAS).order_by("stream"):
        cursor = (checkpoint.tx, checkpoint.position)
        report.append(
            {
                "stream": checkpoint.stream,
                "konteks": checkpoint.konteks,
                "diterbitkan": checkpoint.diterbitkan,
                "lag": feed.count_after(checkpoint.konteks, cursor),
            }
        )
    return report
