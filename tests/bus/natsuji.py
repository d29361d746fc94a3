"""Helpers of the NATS tests: envelopes accepted in bulk, a stream's messages, a relay process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from apps.bus.commands import bus_terima_pesan
from apps.bus.nats_io import KoneksiNats
from egov.eventstore import feed
from tests.bus.pesan import amplop
from tests.support import ROOT, database_env


def nik_ke(i: int) -> str:
    return f"327301570885{i + 1:04d}"


def kematian(i: int) -> dict:
    return {"nik": nik_ke(i), "tanggal_kematian": "2026-11-20", "nomor_akta": f"AKTA-{i:06d}"}


def terima(n: int, *, mulai: int = 0) -> None:
    """``n`` deaths accepted by the bus (each: PesanDiterima, not published, then
    KematianDicatat, published)."""
    for i in range(mulai, mulai + n):
        bus_terima_pesan(amplop=amplop(kematian(i)), pintu="http")


def kematian_di_feed() -> list[str]:
    """The published events' ids in feed order (what the stream must hold, once each)."""
    rows = feed.read_feed("bus", limit=100_000)
    return [str(r.event_id) for r in rows if r.event_type == "KematianDicatat"]


@dataclass
class PesanStream:
    seq: int
    subjek: str
    headers: dict
    data: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.data)


def isi_stream(koneksi: KoneksiNats, stream: str) -> list[PesanStream]:
    info = koneksi.run(koneksi.js.stream_info(stream))
    messages = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        if not info.state.messages:
            break
        raw = koneksi.run(koneksi.js.get_msg(stream, seq=seq))
        messages.append(PesanStream(raw.seq, raw.subject, raw.headers or {}, raw.data or b""))
    return messages


class Proses(subprocess.Popen):
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text()


def manage(*args: str) -> Proses:
    """A real ``manage.py`` process on this test process's databases."""
    env = {**os.environ, **database_env(), "DJANGO_SETTINGS_MODULE": "egov.settings_test"}
    env.pop("POSTGRES_URL", None)
    with tempfile.NamedTemporaryFile("w+", prefix="bus-", suffix=".log", delete=False) as log:
        proc = Proses(
            [sys.executable, "manage.py", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    proc.log_path = Path(log.name)
    return proc
