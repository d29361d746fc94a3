"""A synchronous handle on a NATS JetStream connection, for the relay and the NATS door.

nats-py is asyncio; egov's pipeline, feeds and checkpoints are Django ORM code, which must not
run inside a coroutine. This handle owns its own event loop and runs one coroutine at a time
(``run``): the ORM work happens between those calls, in the same thread, never in the loop.
Streams are created or updated idempotently (``pastikan_stream``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

import nats
from nats.js.api import RetentionPolicy, StreamConfig
from nats.js.errors import NotFoundError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# How long JetStream remembers a message id to drop a republished duplicate (seconds).
JENDELA_DUPLIKAT = 600.0


class KoneksiNats:
    def __init__(self, url: str, *, nama: str, timeout: float = 5.0):
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.nc = self.run(
            nats.connect(
                url.split(","),
                name=nama,
                connect_timeout=timeout,
                max_reconnect_attempts=-1,  # a broker restart is waited for, not fatal
                allow_reconnect=True,
            )
        )
        self.js = self.nc.jetstream(timeout=timeout)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        try:
            if not self.nc.is_closed:
                # acks and publishes are flushed, not drained: draining waits out a pending
                # pull request (up to 30 s) for nothing
                self.run(self.nc.flush(timeout=2))
                self.run(self.nc.close())
        except Exception:  # closing after an error: nothing left to save
            logger.debug("closing the NATS connection failed", exc_info=True)
        finally:
            self.loop.close()

    def __enter__(self) -> KoneksiNats:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pastikan_stream(
        self,
        nama: str,
        subjek: list[str],
        *,
        replika: int = 1,
        retensi: RetentionPolicy = RetentionPolicy.LIMITS,
        usia_maks: float | None = None,
    ) -> None:
        """Create the stream, or bring an existing one to these subjects and maximum age in
        seconds (None: kept until removed; idempotent)."""
        self.run(self._pastikan_stream(nama, subjek, replika, retensi, usia_maks))

    async def _pastikan_stream(
        self,
        nama: str,
        subjek: list[str],
        replika: int,
        retensi: RetentionPolicy,
        usia_maks: float | None,
    ) -> None:
        try:
            info = await self.js.stream_info(nama)
        except NotFoundError:
            await self.js.add_stream(
                StreamConfig(
                    name=nama,
                    subjects=subjek,
                    retention=retensi,
                    num_replicas=replika,
                    duplicate_window=JENDELA_DUPLIKAT,
                    max_age=usia_maks,
                )
            )
            logger.info("stream %s created (%s, replicas %d)", nama, ", ".join(subjek), replika)
            return
        config = info.config
        if sorted(config.subjects or []) != sorted(subjek) or (config.max_age or None) != usia_maks:
            config.subjects, config.max_age = subjek, usia_maks
            await self.js.update_stream(config)
            logger.info(
                "stream %s updated: subjects %s, max age %s s", nama, ", ".join(subjek), usia_maks
            )

    def hapus_stream(self, nama: str) -> None:
        with contextlib.suppress(NotFoundError):
            self.run(self.js.delete_stream(nama))
