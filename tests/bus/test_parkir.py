"""Parked poison messages: sealed at rest with a key of their own (no NIK in clear in any row,
UU PDP 27/2022), listed in the admin without the envelope, replayed by the action once the
cause is fixed and applied once; settling or expiry shreds the payload."""

from __future__ import annotations

import importlib
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client

from apps.bus import parkir as parkir_mod
from apps.bus.models import BusSubjectKey, PesanTerparkir
from apps.bus.parkir import KEDALUWARSA, TANPA_ISI, isi, kedaluwarsakan, parkir, putar_ulang
from apps.bus.pintu import ACK, TERM
from egov import clock
from tests.bus.pesan import KEMATIAN, NIK, amplop, daftar_instansi, log, teks_mentah

pytestmark = pytest.mark.django_db(databases="__all__")
URL = "/admin/bus/pesanterparkir/"
ANGGOTA = "3273014101900002"
KK = "3273010101900003"


def _admin() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("admin-bus", "a@b.test", "pw"))
    return client


def _parkir(envelope: dict, urutan: int = 7) -> PesanTerparkir:
    return parkir(
        stream="GOV",
        urutan=urutan,
        subjek=f"gov.kemendagri.{envelope['event_type']}",
        data=json.dumps(envelope).encode(),
        galat="RuntimeError",
        percobaan=5,
    )


def test_a_parked_envelope_is_sealed_no_row_holds_a_nik_in_clear():
    daftar_instansi()
    kk = {"nomor_kk": KK, "anggota": [NIK, ANGGOTA], "alasan": "Pindah datang"}
    envelopes = [amplop(), amplop(kk, event_type="KKDiupdate")]

    parked = [_parkir(envelope, urutan) for urutan, envelope in enumerate(envelopes, 1)]

    raw = teks_mentah("bus", "bus_read")
    assert [n for n in (NIK, ANGGOTA, KK, KEMATIAN["nomor_akta"]) if n in raw] == []
    assert [json.loads(isi(p)) for p in parked] == envelopes  # only the replay opens it
    assert [p.message_id for p in parked] == [e["message_id"] for e in envelopes]
    keys = BusSubjectKey.objects.using("bus").filter(subject_id__startswith="parkir:")
    assert sorted(keys.values_list("subject_id", flat=True)) == sorted(p.kunci for p in parked)


def test_a_parked_message_is_listed_without_its_envelope_and_replayed_once():
    daftar_instansi()
    envelope = amplop()
    pesan = _parkir(envelope)
    kunci = pesan.kunci
    client = _admin()

    page = client.get(URL).content.decode()
    assert envelope["message_id"] in page
    assert "RuntimeError" in page
    assert NIK not in page
    assert NIK not in client.get(f"{URL}{pesan.pk}/change/").content.decode()

    for _ in range(2):  # the second run skips a message already accepted
        client.post(URL, {"action": "putar_ulang", "_selected_action": [pesan.pk]})

    pesan.refresh_from_db()
    assert (pesan.hasil, pesan.percobaan, bytes(pesan.data), pesan.kunci) == ("ACK", 6, b"", "")
    assert BusSubjectKey.objects.using("bus").get(subject_id=kunci).wrapped_key is None
    assert [t for _s, t in log()] == ["PesanDiterima", "KematianDicatat"]
    assert PesanTerparkir.objects.using("bus").count() == 1
    assert NIK not in teks_mentah("bus", "bus_read")


def test_a_message_left_unsettled_past_the_retention_is_shredded_and_no_longer_replayable():
    daftar_instansi()
    lama, baru = _parkir(amplop(), 1), _parkir(amplop(), 2)
    PesanTerparkir.objects.using("bus").filter(pk=lama.pk).update(
        diparkir_pada=clock.now() - parkir_mod.retensi() - timedelta(minutes=1)
    )

    assert kedaluwarsakan() == 1
    assert kedaluwarsakan() == 0  # idempotent

    lama.refresh_from_db()
    baru.refresh_from_db()
    assert (lama.hasil, bytes(lama.data), lama.kunci) == (KEDALUWARSA, b"", "")
    assert baru.hasil == ""
    assert isi(baru) is not None
    assert putar_ulang(lama).tindakan == TERM
    assert putar_ulang(lama).alasan == TANPA_ISI
    assert log() == []
    assert putar_ulang(baru).tindakan == ACK


def test_parked_again_the_row_gets_a_new_key_and_the_old_one_is_destroyed():
    daftar_instansi()
    first = _parkir(amplop())
    again = _parkir(amplop())

    assert first.pk == again.pk
    assert first.kunci != again.kunci
    assert BusSubjectKey.objects.using("bus").get(subject_id=first.kunci).wrapped_key is None
    assert isi(again) is not None


def test_the_migration_seals_an_envelope_parked_in_clear_before_it():
    daftar_instansi()
    envelope = amplop()
    clear = json.dumps(envelope).encode()
    pesan = PesanTerparkir.objects.using("bus").create(
        stream="GOV", urutan=3, subjek="gov.kemendagri.KematianDicatat", data=clear,
        galat="RuntimeError", percobaan=5,
    )  # fmt: skip
    migration = importlib.import_module("apps.bus.migrations.0005_parkir_tersegel")

    migration.seal_parked(django_apps, SimpleNamespace(connection=connections["bus"]))

    pesan.refresh_from_db()
    assert pesan.kunci.startswith("parkir:")
    assert NIK not in teks_mentah("bus")
    assert isi(pesan) == clear
    assert putar_ulang(pesan).tindakan == ACK
