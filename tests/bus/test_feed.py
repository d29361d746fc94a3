"""The published feed for integrators without NATS: GET /api/v1/feed/{context}/ returns what
the relay publishes (published contract events, personal fields removed) by cursor, to
integrators holding feed:<context> (or feed:<context>:<EventType>: only those types, the
cursor moving past the others); under concurrent writers every event comes exactly once, in
order."""

from __future__ import annotations

import random
import threading
import time

import pytest
from django.db import connections, transaction
from rest_framework.throttling import SimpleRateThrottle

from apps.bus import terbitan
from apps.bus.commands import bus_terima_pesan
from apps.bus.models import BusEvent
from egov.eventstore import hooks
from egov.eventstore.feed import read_feed
from egov.portal.scopes import all_scopes
from tests.bus.natsuji import kematian, kematian_di_feed, nik_ke, terima
from tests.bus.pesan import KEMDIKBUD, amplop, daftar_instansi
from tests.principals import integrator_client, officer, session_client
from tests.support import wait_until

URL = "/api/v1/feed/bus/"


def baca_semua(client, *, limit: int = 2, after: str = "") -> tuple[list[dict], str]:
    events = []
    while True:
        page = client.get(URL, {"after": after, "limit": limit}).json()
        events += page["peristiwa"]
        after = page["berikutnya"]
        if page["habis"]:
            return events, after


@pytest.mark.django_db(databases="__all__")
def test_an_integrator_pages_through_the_published_events_without_personal_fields():
    daftar_instansi()
    terima(5)
    client = integrator_client("pembaca-bus", "feed:bus")

    events, cursor = baca_semua(client)

    assert [e["event_id"] for e in events] == kematian_di_feed()  # no PesanDiterima
    for i, event in enumerate(events):
        assert event["event_type"] == "KematianDicatat"
        assert set(event["payload"]) == {"nik_hash", "tanggal_kematian", "instansi", "message_id"}
        assert nik_ke(i) not in str(event)
        assert "AKTA-" not in str(event)
    # read on later from the cursor: only what is new
    terima(1, mulai=50)
    more, _ = baca_semua(client, after=cursor)
    assert [e["event_id"] for e in more] == kematian_di_feed()[-1:]


@pytest.mark.django_db(databases="__all__")
def test_the_feed_is_for_integrators_holding_that_contexts_scope():
    daftar_instansi()
    terima(1)
    assert integrator_client("pembaca-ktp", "feed:ktp").get(URL).status_code == 403
    assert integrator_client("loket", "izin:baca").get(URL).status_code == 403
    admin = officer("admin-feed")
    admin.is_superuser = True
    admin.save()
    assert session_client(admin).get(URL).status_code == 403
    reader = integrator_client("pembaca", "feed:bus", "feed:ktp")
    assert reader.get(URL).status_code == 200
    assert reader.get("/api/v1/feed/ktp/").json()["peristiwa"] == []
    assert reader.get(URL, {"after": "x"}).status_code == 400
    assert reader.get(URL, {"limit": 501}).status_code == 400


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_catch_up_under_concurrent_writers_gets_every_event_once_in_order(monkeypatch):
    # the feed is under test, not the subscribers: no projector runs after the writers'
    # commits (each would open connections to every context's databases from every thread)
    monkeypatch.setattr(hooks, "_listeners", [])
    # the reader pages as fast as it can: not the throttle under test (DRF reads the rates
    # once, at import, so they are set on the throttle class)
    fast = dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "100000/min")
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", fast)
    daftar_instansi()
    client = integrator_client("pembaca-bus", "feed:bus")
    writers, per_writer = 4, 15
    errors: list[BaseException] = []

    def write(w: int) -> None:
        rng = random.Random(w)
        try:
            for i in range(per_writer):
                with transaction.atomic(using="bus"):  # noqa: TID251 - held open on purpose
                    bus_terima_pesan(amplop=amplop(kematian(w * 100 + i)), pintu="http")
                    time.sleep(rng.uniform(0, 0.05))  # commits land out of position order
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    seen, after = [], ""
    while any(t.is_alive() for t in threads):
        response = client.get(URL, {"after": after, "limit": 3})
        assert response.status_code == 200, response.content
        page = response.json()
        seen += page["peristiwa"]
        after = page["berikutnya"]
    for thread in threads:
        thread.join()
    assert errors == []

    def caught_up() -> bool:  # the horizon is cluster-wide: another session may hold it
        nonlocal after
        rest, after = baca_semua(client, after=after, limit=3)
        seen.extend(rest)
        return len(seen) >= writers * per_writer

    assert wait_until(caught_up, timeout=300, interval=0.5), len(seen)
    ids = [e["event_id"] for e in seen]
    stored = BusEvent.objects.using("bus").filter(event_type="KematianDicatat")
    assert len(ids) == len(set(ids)) == writers * per_writer
    assert set(ids) == {str(i) for i in stored.values_list("event_id", flat=True)}
    cursors = [terbitan.baca_kursor(e["kursor"]) for e in seen]
    assert cursors == sorted(cursors)  # the feed's order, (tx, position)


def _campur() -> dict[str, list[str]]:
    """Deaths, family-card changes and student ids accepted interleaved; each type's event ids
    in feed order."""
    daftar_instansi()
    daftar_instansi("kemdikbud", kunci=KEMDIKBUD, jenis=("NISNDiverifikasi",))
    for i in range(3):
        terima(1, mulai=i)
        kk = {"nomor_kk": f"32730101019000{i:02d}", "anggota": [nik_ke(10 + i)], "alasan": "Baru"}
        bus_terima_pesan(amplop=amplop(kk, event_type="KKDiupdate"), pintu="http")
        nisn = {"nik": nik_ke(20 + i), "nisn": f"00123456{i:02d}"}
        envelope = amplop(nisn, event_type="NISNDiverifikasi", agency="kemdikbud", kunci=KEMDIKBUD)
        bus_terima_pesan(amplop=envelope, pintu="http")
    by_type: dict[str, list[str]] = {}
    for row in read_feed("bus", limit=1000):
        by_type.setdefault(row.event_type, []).append(str(row.event_id))
    return by_type


@pytest.mark.django_db(databases="__all__")
def test_an_event_type_scope_shows_only_that_type_and_the_cursor_moves_past_the_others():
    by_type = _campur()
    deaths = integrator_client("bank-a", "feed:bus:KematianDicatat")
    everything = integrator_client("pembaca-bus", "feed:bus")

    events, cursor = baca_semua(deaths, limit=1)
    _all, head = baca_semua(everything, limit=50)

    assert [e["event_id"] for e in events] == by_type["KematianDicatat"]
    assert cursor == head  # past the family cards and student ids after the last death
    # only other types arrive: an empty page, and the cursor moves on past them
    kk = {"nomor_kk": "3273010101900099", "anggota": [nik_ke(30)], "alasan": "Baru"}
    bus_terima_pesan(amplop=amplop(kk, event_type="KKDiupdate"), pintu="http")
    page = deaths.get(URL, {"after": cursor}).json()
    assert (page["peristiwa"], page["habis"]) == ([], True)
    assert page["berikutnya"] == baca_semua(everything, after=head)[1] != cursor
    terima(1, mulai=40)
    page = deaths.get(URL, {"after": page["berikutnya"]}).json()
    assert [e["event_type"] for e in page["peristiwa"]] == ["KematianDicatat"]


@pytest.mark.django_db(databases="__all__")
def test_two_type_scopes_show_both_types_in_feed_order_and_no_other():
    by_type = _campur()
    client = integrator_client("dinsos", "feed:bus:KKDiupdate", "feed:bus:NISNDiverifikasi")

    events, _ = baca_semua(client, limit=2)

    wanted = set(by_type["KKDiupdate"]) | set(by_type["NISNDiverifikasi"])
    in_order = [str(r.event_id) for r in read_feed("bus", limit=1000) if str(r.event_id) in wanted]
    assert [e["event_id"] for e in events] == in_order
    assert {e["event_type"] for e in events} == {"KKDiupdate", "NISNDiverifikasi"}
    assert "nisn" not in str([e["payload"] for e in events])  # personal: never published


@pytest.mark.django_db(databases="__all__")
def test_a_type_scope_of_another_context_or_an_unknown_context_reads_nothing(settings):
    _campur()
    ktp_only = integrator_client("pembaca-ktp-mati", "feed:ktp:NIKDinonaktifkan")
    assert ktp_only.get(URL).status_code == 403
    assert ktp_only.get("/api/v1/feed/ktp/").status_code == 200
    assert ktp_only.get("/api/v1/feed/tidak-ada/").status_code == 403
    assert (
        integrator_client("pembaca-bus-2", "feed:bus").get("/api/v1/feed/tidak-ada/").status_code
        == 403
    )
    # a context scope granted for a context that publishes nothing: it does not exist here
    settings.API_SCOPES = {**settings.API_SCOPES, "feed:audit": "Membaca feed audit"}
    assert (
        integrator_client("pembaca-audit", "feed:audit").get("/api/v1/feed/audit/").status_code
        == 404
    )


def test_every_published_type_has_its_scope_on_offer():
    offered = {s for s in all_scopes() if s.startswith("feed:")}
    expected = {f"feed:{c}" for c in terbitan.kontrak()} | {
        f"feed:{c}:{t}" for c, types in terbitan.kontrak().items() for t in types
    }
    assert offered == expected
    assert "feed:bus:PesanDiterima" not in offered  # the message log is not published
