"""Parked poison messages in the admin: listed without the envelope (it holds a NIK in
clear), replayed by the action once the cause is fixed, applied once."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.bus.models import PesanTerparkir
from apps.bus.parkir import parkir
from tests.bus.pesan import NIK, amplop, daftar_instansi, log

pytestmark = pytest.mark.django_db(databases="__all__")
URL = "/admin/bus/pesanterparkir/"


def _admin() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin-bus", "a@b.test", "pw"))
    return client


def test_a_parked_message_is_listed_without_its_envelope_and_replayed_once():
    daftar_instansi()
    envelope = amplop()
    pesan = parkir(
        stream="GOV",
        urutan=7,
        subjek="gov.kemendagri.KematianDicatat",
        data=json.dumps(envelope).encode(),
        galat="RuntimeError",
        percobaan=5,
    )
    client = _admin()

    page = client.get(URL).content.decode()
    assert envelope["message_id"] in page
    assert "RuntimeError" in page
    assert NIK not in page
    assert NIK not in client.get(f"{URL}{pesan.pk}/change/").content.decode()

    for _ in range(2):  # the second run skips a message already accepted
        client.post(URL, {"action": "putar_ulang", "_selected_action": [pesan.pk]})

    pesan.refresh_from_db()
    assert (pesan.hasil, pesan.percobaan, bytes(pesan.data)) == ("ACK", 6, b"")
    assert [t for _s, t in log()] == ["PesanDiterima", "KematianDicatat"]
    assert PesanTerparkir.objects.using("bus").count() == 1
