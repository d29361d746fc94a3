"""The agency's tools: ``bus_keygen`` makes a key pair, ``bus_instansi`` registers the
agency, ``bus_send`` signs a payload and POSTs it to a running egov (the live test server)."""

from __future__ import annotations

import json
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from apps.bus.management.commands import bus_send
from apps.bus.models import Instansi
from tests.bus.pesan import KEMATIAN, log


def _keygen(path) -> str:
    out = StringIO()
    call_command("bus_keygen", "--out", str(path), stdout=out, stderr=StringIO())
    return out.getvalue().strip()


@pytest.mark.django_db(databases="__all__")
def test_keygen_writes_a_private_key_and_prints_the_public_key(tmp_path):
    public = _keygen(tmp_path / "agency.key")

    assert (tmp_path / "agency.key").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "agency.key").stat().st_mode & 0o077 == 0
    call_command(
        "bus_instansi", "--kode", "kemendagri", "--nama", "Kemendagri",
        "--jenis", "KematianDicatat", "--kunci", public, stdout=StringIO(),
    )  # fmt: skip
    assert Instansi.objects.using("bus").get().kunci_publik == public
    with pytest.raises(CommandError):
        _keygen(tmp_path / "agency.key")  # never overwrites a key by accident


def _send_twice_then_as_a_stranger(tmp_path, url: str) -> None:
    key = tmp_path / "agency.key"
    payload = tmp_path / "kematian.json"
    payload.write_text(json.dumps(KEMATIAN))
    call_command(
        "bus_instansi", "--kode", "kemendagri", "--nama", "Kemendagri",
        "--jenis", "KematianDicatat", "--kunci", _keygen(key), stdout=StringIO(),
    )  # fmt: skip
    message_id = str(uuid.uuid4())
    args = ["--agency", "kemendagri", "--type", "KematianDicatat", "--key", str(key)]
    args += ["--url", url, "--message-id", message_id]
    args += ["--occurred-at", "2026-11-21T09:30:00+07:00", str(payload)]

    out = StringIO()
    call_command("bus_send", *args, stdout=out)
    again = StringIO()
    call_command("bus_send", *args, stdout=again)  # the same message id: the first answer

    answer = json.loads(out.getvalue())
    assert (answer["message_id"], answer["status"]) == (message_id, "DITERIMA")
    assert json.loads(again.getvalue()) == answer
    assert log() == [(message_id, "PesanDiterima"), (message_id, "KematianDicatat")]

    with pytest.raises(CommandError, match="HTTP 401"):  # an agency egov does not know
        call_command("bus_send", "--agency", "kemdikbud", *args[2:], stdout=StringIO())


@pytest.mark.django_db(databases="__all__")
def test_bus_send_signs_and_posts_an_envelope(tmp_path, monkeypatch):
    """Through Django's test client (the HTTP request as bus_send builds it)."""
    client = APIClient()

    def post(url: str, body: dict, timeout: float = 30.0) -> tuple[int, dict]:
        assert url == "http://egov.test/api/v1/bus/pesan/"
        response = client.post(url.removeprefix("http://egov.test"), body, format="json")
        return response.status_code, response.json()

    monkeypatch.setattr(bus_send, "post", post)
    _send_twice_then_as_a_stranger(tmp_path, "http://egov.test/")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_bus_send_posts_to_a_running_egov(tmp_path, live_server):
    """Over a real socket to the live test server (PostgreSQL pass: a transactional test)."""
    _send_twice_then_as_a_stranger(tmp_path, live_server.url)
