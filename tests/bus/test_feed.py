"""The published feed for integrators without NATS: GET /api/v1/feed/{context}/ returns what
the relay publishes (published contract events, personal fields removed) by cursor, to
integrators holding feed:<context>; under concurrent writers every event comes exactly once,
in order."""

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
from tests.bus.natsuji import kematian, kematian_di_feed, nik_ke, terima
from tests.bus.pesan import amplop, daftar_instansi
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
