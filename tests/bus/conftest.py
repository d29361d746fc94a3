"""NATS JetStream for the bus tests.

Tests marked ``nats`` need a real ``nats-server -js`` (``TEST_NATS_URL``, default
``nats://127.0.0.1:4222``); with ``REQUIRE_NATS=1`` (CI, ``.ci/run``) a missing server is an
error, otherwise they are skipped. Each test names its streams, subjects and consumers with a
fresh prefix (``nats_ns``) and deletes them afterwards, so test runs never meet one another or
a developer's own ``make up``.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from apps.bus.nats_io import KoneksiNats


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "nats: needs a NATS server with JetStream (REQUIRE_NATS=1: required)"
    )


def nats_url() -> str:
    return os.environ.get("TEST_NATS_URL", "nats://127.0.0.1:4222")


def nats_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 4222), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def require_nats() -> str:
    url = nats_url()
    if not nats_reachable(url):
        if os.environ.get("REQUIRE_NATS") == "1":
            pytest.fail(f"REQUIRE_NATS=1 but no NATS server answers at {url}")
        pytest.skip(f"no NATS server at {url}")
    return url


@dataclass
class NamaUji:
    """Names of one test's streams and subjects (unique per test)."""

    kode: str

    @property
    def subjek_keluar(self) -> str:  # instead of "egov"
        return f"egov{self.kode}"

    @property
    def stream_keluar(self) -> str:  # instead of "EGOV"
        return f"EGOV{self.kode.upper()}"

    @property
    def subjek_masuk(self) -> str:  # instead of "gov"
        return f"gov{self.kode}"

    @property
    def stream_masuk(self) -> str:  # instead of "GOV"
        return f"GOV{self.kode.upper()}"


@pytest.fixture
def nats_ns(require_nats):
    """(url, names, an open connection); every stream named with the prefix is deleted after."""
    names = NamaUji(uuid.uuid4().hex[:10])
    koneksi = KoneksiNats(require_nats, nama="egov-test")
    try:
        yield require_nats, names, koneksi
    finally:
        streams = koneksi.run(koneksi.js.streams_info())
        for info in streams:
            if names.kode.upper() in info.config.name:
                koneksi.hapus_stream(info.config.name)
        koneksi.close()
