"""Faults on the real stack: PostgreSQL, Redis and real Celery worker processes, no mocks.

- A worker SIGKILLed in the middle of a projection batch: its open transaction leaves nothing,
  a new worker and the beat sweep finish the backlog, every read row exactly once.
- One context's database refusing connections: that context's API answers 503 with
  Retry-After, the others answer as usual; once it is back, what waited is delivered once.
- The broker unreachable while commands run: they still answer; once it is back, the worker
  and the beat sweeps catch up.

Recovery times are printed (``-s``), not asserted.
"""

import os
import signal
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.db.models import Count

from apps.audit.models import CatatanAudit
from apps.izin.models import IdentitasTerverifikasi, IzinEvent, IzinStatus
from apps.ktp.models import KtpEvent, StatusPermohonanKTP
from apps.ktp.roles import GRUP_PETUGAS
from apps.ktp.tasks import ktp_sapu
from egov.celery import app as celery_app
from egov.db import atomic, broker_outage, forget_broker_outage
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.tasks import sweep_projections
from tests.conftest import _forget_celery_connections
from tests.izin.conftest import (
    NIK_LAIN,
    konfigurasi,  # noqa: F401 - a fixture
)
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView, KernelEvent, SeenEvent
from tests.kerneltest.store import store as counter_store
from tests.ktp.conftest import NIK, PERMOHONAN, TEMPLATE
from tests.ktp.conftest import URL as KTP_URL
from tests.principals import integrator_client, officer, session_client
from tests.support import start_worker, stop_worker, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(databases="__all__", transaction=True),
]

META = EventMetadata(actor="petugas", source="test")


def lags() -> dict[str, int]:
    """Events not yet applied, per projector and feed (as ``manage.py projections`` computes
    it), only where some are left."""
    rows = [row for p in projections.all_projectors() for row in projections.lag(p)]
    return {f"{row['projector']}@{row['feed']}": row["lag"] for row in rows if row["lag"]}


def total_lag() -> int:
    return sum(lags().values())


def open_write_transactions(alias: str) -> int:
    """Other sessions on ``alias``'s database inside a transaction that has written."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0]


def horizon_holders() -> list[str]:
    """Transactions that wrote and stay open anywhere on this PostgreSQL server: they hold
    every feed back until they end (the horizon is cluster-wide, docs/architecture.md), so a
    test running beside this one (another suite on the same server) can stall the worker."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT datname, pid, round(extract(epoch FROM now() - xact_start)), state,"
            " left(query, 80) FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
            " AND pid <> pg_backend_pid() AND now() - xact_start > interval '2 seconds'"
            " ORDER BY xact_start"
        )
        return [
            f"{db} pid {pid}: open {age} s, {state}: {query}"
            for db, pid, age, state, query in cursor
        ]


BEAT_SECONDS = 2.0  # the beat sweep's period while a test waits (PROJECTION_SWEEP_SECONDS)


def settle(predicate, what: str, worker, *, timeout: float = 60, interval: float = 0.1):
    """Wait until ``predicate`` holds, sending the beat sweep every ``BEAT_SECONDS`` meanwhile
    as beat would: a projector task that runs while any older writing transaction is still
    open on the server (another test suite's, on a shared server) applies nothing, and only
    the sweep picks that up. On failure, say what lags, what holds the feeds back and what the
    worker logged."""
    next_beat = time.monotonic() + BEAT_SECONDS

    def beating():
        nonlocal next_beat
        value = predicate()
        if not value and time.monotonic() >= next_beat:
            sweep_projections.delay()
            next_beat = time.monotonic() + BEAT_SECONDS
        return value

    value = wait_until(beating, timeout=timeout, interval=interval)
    if value:
        return value
    errors = [line for line in worker.log().splitlines() if "ERROR" in line or "WARNING" in line]
    pytest.fail(
        f"{what}: not after {timeout} s; lagging: {lags()}\n"
        + "transactions holding the feeds back:\n  "
        + "\n  ".join(horizon_holders() or ["none"])
        + "\nworker's last errors and warnings:\n  "
        + "\n  ".join(errors[-10:] or ["none"])
    )


def caught_up(worker, *, timeout: float = 60) -> bool:
    """Every projector has applied every event."""
    return settle(lambda: total_lag() == 0, "projections caught up", worker, timeout=timeout)


def second_worker():
    """A new worker on the queue and broker this test process sends to (``real_worker``)."""
    queue = celery_app.conf.task_default_queue
    return start_worker(celery_app.conf.broker_url, queue, env={"CELERY_QUEUE": queue})


# --- 1. A worker killed mid-batch ------------------------------------------------------------

COUNTERS = 60
ADDS = 24  # 25 events per counter: 1500 events, three batches of at most 500


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(real_worker):
    counter_view = projections.get_projector("kerneltest.counters")
    seen = SeenEvent.objects.using("kerneltest_read")
    counters = []
    with atomic("kerneltest"):  # one commit: the whole backlog at once
        for i in range(COUNTERS):
            counter = Penghitung.buat(pemilik=f"warga-{i}", nama=f"Warga {i}")
            for k in range(ADDS):
                counter.tambah(1 + (i + k) % 3)
            counter_store.save(counter, META)
            counters.append(counter)
    total = COUNTERS * (ADDS + 1)
    assert KernelEvent.objects.using("kerneltest").count() == total

    # Kill the worker while a batch is in flight after an earlier batch has committed.
    settle(
        lambda: 0 < seen.count() < total and open_write_transactions("kerneltest_read") > 0,
        "a batch in flight after one committed",
        real_worker,
        interval=0.005,
    )
    os.kill(real_worker.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    real_worker.wait(timeout=10)
    assert wait_until(lambda: open_write_transactions("kerneltest_read") == 0, timeout=10)

    # The killed batch left nothing: the read rows are exactly the checkpointed prefix.
    [lag] = projections.lag(counter_view)
    applied = seen.count()
    assert 0 < applied < total
    assert lag["lag"] == total - applied
    assert set(seen.values_list("event_id", flat=True)) == _event_ids_up_to_checkpoint()

    worker = second_worker()
    try:
        restarted_at = time.monotonic()
        sweep_projections.delay()  # what beat does every PROJECTION_SWEEP_SECONDS
        caught_up(worker)
        recovered_at = time.monotonic()
    finally:
        stop_worker(worker)
    print(
        f"\n[faults] SIGKILL mid-batch: {applied}/{total} events applied at the kill; lag 0 "
        f"{recovered_at - restarted_at:.2f} s after the new worker was ready, "
        f"{recovered_at - killed_at:.2f} s after the kill (worker start included)"
    )

    # Every event applied exactly once; each counter's row is what its events imply.
    assert seen.count() == total
    assert set(seen.values_list("event_id", flat=True)) == set(
        KernelEvent.objects.using("kerneltest").values_list("event_id", flat=True)
    )
    rows = {row.stream_id: row for row in CounterView.objects.using("kerneltest_read")}
    assert set(rows) == {c.id for c in counters}
    per_stream = dict(
        KernelEvent.objects.using("kerneltest")
        .values("stream_id")
        .annotate(n=Count("event_id"))
        .values_list("stream_id", "n")
    )
    for i, counter in enumerate(counters):
        row = rows[counter.id]
        assert row.value == counter.nilai == sum(1 + (i + k) % 3 for k in range(ADDS))
        assert row.last_version == per_stream[counter.id] == ADDS + 1
        assert row.owner_name == f"Warga {i}"


def _event_ids_up_to_checkpoint() -> set:
    """The events at or before the projector's checkpoint, in feed order ``(tx, position)``."""
    from egov.eventstore.models import Checkpoint

    checkpoint = Checkpoint.objects.using("kerneltest_read").get(
        projector="kerneltest.counters", feed="kerneltest"
    )
    with connections["kerneltest"].cursor() as cursor:
        cursor.execute(
            'SELECT event_id FROM kerneltest_event WHERE (tx_id::text::bigint, "position")'
            " <= (%s, %s)",
            [checkpoint.tx, checkpoint.position],
        )
        return {row[0] for row in cursor.fetchall()}


# --- 2. One context's database refuses connections ----------------------------------------

IZIN_URL = "/api/v1/izin/"
IZIN_BODY = {  # a restaurant (risk MR): approved automatically once the identity is known
    "nik": NIK,
    "nama_pemohon": "Siti Aminah",
    "jenis_pelaku": "PERORANGAN",
    "nama_usaha": "Warung Bu Siti",
    "kbli_kode": "56101",
    "kode_wilayah": "3273",
    "skala": "MIKRO",
    "nilai_investasi": "50000000",
}
HELD_THEN_DELIVERED = [
    "PermohonanIzinDibuat",
    "MenungguVerifikasiIdentitas",
    "IdentitasPemohonTerverifikasi",
    "TingkatRisikoDitetapkan",
    "IzinDisetujui",
    "IzinDikirim",
]
KTP_FLOW = ["KTPDibuat", "BiometrikDirekam", "KTPDiverifikasi", "KTPDicetak"]


@contextmanager
def refusing_connections(alias: str):
    """``alias``'s PostgreSQL database refuses new connections and its sessions are ended, for
    real (run from a session on the ``postgres`` database), until the block ends."""
    connections[alias].close()
    conf = connections[alias].settings_dict
    name = conf["NAME"]
    admin = psycopg.connect(
        host=conf["HOST"] or "127.0.0.1",
        port=conf["PORT"] or 5432,
        user=conf["USER"] or "postgres",
        password=conf["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
    finally:
        admin.close()


def izin_events(stream_id) -> list[str]:
    rows = IzinEvent.objects.using("izin").filter(stream_id=stream_id).order_by("version")
    return list(rows.values_list("event_type", flat=True))


def ktp_events(stream_id) -> list[str]:
    rows = KtpEvent.objects.using("ktp").filter(stream_id=stream_id).order_by("version")
    return list(rows.values_list("event_type", flat=True))


def audited(stream_id) -> list[str]:
    rows = CatatanAudit.objects.using("audit_read").filter(stream_id=stream_id).order_by("nomor")
    return list(rows.values_list("event_type", flat=True))


def ktp_status(pid: str) -> str:
    row = StatusPermohonanKTP.objects.using("ktp_read").filter(permohonan_id=pid).first()
    return row.status if row else ""


@pytest.mark.usefixtures("konfigurasi")
def test_izin_database_down_is_503_for_izin_only_and_what_waited_arrives_once(real_worker):
    loket_oss = integrator_client("loket-oss", "izin:ajukan", "izin:baca")
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    petugas = session_client(officer("petugas_dukcapil", GRUP_PETUGAS))
    assert petugas.post("/api/v1/ktp/blangko/", {"jumlah": 1}, format="json").status_code == 200
    # An application whose applicant's identity is not known yet: izin holds it.
    held = loket_oss.post(IZIN_URL, IZIN_BODY, format="json")
    assert held.status_code == 202
    held_id = held.json()["id"]
    caught_up(real_worker)
    assert izin_events(held_id) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]
    identitas = projections.get_projector("izin.identitas")

    with refusing_connections("izin"):
        down = loket_oss.post(IZIN_URL, {**IZIN_BODY, "nik": NIK_LAIN}, format="json")
        assert down.status_code == 503
        assert down["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
        assert down.json()["code"] == "layanan_tidak_tersedia"

        # e-KTP, in the same process, answers as usual; its worker verifies and prints.
        created = desa.post(KTP_URL, PERMOHONAN, format="json")
        assert created.status_code == 202
        ktp_id = created.json()["id"]
        settle(lambda: ktp_status(ktp_id) == "DIAJUKAN", "e-KTP request projected", real_worker)
        biometrik = {"template_hash": TEMPLATE, "lokasi": "Loket 2"}
        recorded = petugas.post(f"{KTP_URL}{ktp_id}/biometrik/", biometrik, format="json")
        assert recorded.status_code == 200
        settle(lambda: ktp_status(ktp_id) == "DICETAK", "e-KTP card printed", real_worker)
        assert desa.get(f"{KTP_URL}{ktp_id}/").status_code == 200
        assert ktp_events(ktp_id) == KTP_FLOW

        # izin's policy on the e-KTP feed cannot apply the verification: it waits.
        sweep_projections.delay()  # what beat does meanwhile: izin skipped, the rest caught up
        skipped = "sweep: projector izin.identitas skipped"
        settle(lambda: skipped in real_worker.log(), "sweep skipped izin", real_worker)
        [waiting] = projections.lag(identitas)
        assert waiting["lag"] >= 1
        verified = KtpEvent.objects.using("ktp").get(stream_id=ktp_id, event_type="KTPDiverifikasi")
        assert _after_checkpoint(identitas, verified.event_id)
        restored_at = time.monotonic()

    # izin answers again; the next sweep delivers what waited.
    again = loket_oss.post(IZIN_URL, {**IZIN_BODY, "nik": NIK_LAIN}, format="json")
    assert again.status_code == 202
    second_id = again.json()["id"]
    sweep_projections.delay()
    delivered = IzinStatus.objects.using("izin_read").filter(
        permohonan_id=held_id, dikirim_pada__isnull=False
    )
    settle(delivered.exists, "held application delivered", real_worker)
    caught_up(real_worker)
    print(
        f"\n[faults] izin database down: the held application was delivered "
        f"{time.monotonic() - restored_at:.2f} s after izin accepted connections again"
    )

    # Exactly once: one replica row from that very event, one resumption, one audit entry each.
    replica = IdentitasTerverifikasi.objects.using("izin").filter(nik_hash=keyed_hash(NIK))
    assert list(replica.values_list("status", "sumber_event_id")) == [
        ("VERIFIED", str(verified.event_id))
    ]
    assert izin_events(held_id) == HELD_THEN_DELIVERED
    assert izin_events(second_id) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]
    statuses = IzinStatus.objects.using("izin_read")
    assert sorted(map(str, statuses.values_list("permohonan_id", flat=True))) == sorted(
        [held_id, second_id]
    )  # the refused request left nothing
    resumed = IzinEvent.objects.using("izin").filter(event_type="IdentitasPemohonTerverifikasi")
    assert resumed.count() == 1
    assert audited(held_id) == HELD_THEN_DELIVERED
    assert audited(second_id) == izin_events(second_id)
    assert audited(ktp_id) == KTP_FLOW


def _after_checkpoint(projector, event_id) -> bool:
    """Whether the event is still ahead of the projector's checkpoint on the ktp feed."""
    from egov.eventstore.models import Checkpoint

    checkpoint = Checkpoint.objects.using(projector.alias).get(projector=projector.name, feed="ktp")
    with connections["ktp"].cursor() as cursor:
        cursor.execute(
            'SELECT (tx_id::text::bigint, "position") > (%s, %s) FROM ktp_event'
            " WHERE event_id = %s",
            [checkpoint.tx, checkpoint.position, event_id],
        )
        return cursor.fetchone()[0]


# --- 3. The broker is unreachable while commands run ----------------------------------------

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens there: refused at once
REQUESTS = 10  # each: submitted and biometrics recorded, 20 commands


@contextmanager
def unreachable_broker():
    """This process publishes to a closed port until the block ends (the worker keeps its
    own connection to the real broker)."""
    real = celery_app.conf.broker_url
    celery_app.conf.broker_url = DEAD_BROKER
    _forget_celery_connections()
    forget_broker_outage()
    try:
        yield
    finally:
        celery_app.conf.broker_url = real
        _forget_celery_connections()
        forget_broker_outage()  # as an operator would after fixing it (else BROKER_OUTAGE_SECONDS)


def test_commands_run_while_the_broker_is_unreachable_are_caught_up_by_worker_and_sweeps(
    real_worker,
):
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    petugas = session_client(officer("petugas_dukcapil", GRUP_PETUGAS))
    blangko = {"jumlah": REQUESTS}
    assert petugas.post("/api/v1/ktp/blangko/", blangko, format="json").status_code == 200
    caught_up(real_worker)

    ids = []
    with unreachable_broker():
        started = time.monotonic()
        for i in range(REQUESTS):
            nik = f"{NIK[:12]}{101 + i:04d}"
            created = desa.post(KTP_URL, {**PERMOHONAN, "nik": nik}, format="json")
            assert created.status_code == 202, created.content
            pid = created.json()["id"]
            ids.append(pid)
            biometrik = {"template_hash": f"{i + 1:02x}" * 32, "lokasi": "Loket 2"}
            recorded = petugas.post(f"{KTP_URL}{pid}/biometrik/", biometrik, format="json")
            assert recorded.status_code == 200, recorded.content
        elapsed = time.monotonic() - started
        assert broker_outage()
        # No task reached the worker: nothing was verified.
        assert [ktp_events(pid) for pid in ids] == [["KTPDibuat", "BiometrikDirekam"]] * REQUESTS
        # Projected in-process at each commit (read-your-writes), unless a transaction still
        # open elsewhere on the server held the feed's horizon back at that moment (then the
        # next commit or the sweep applies it): never ahead of the events.
        statuses = [ktp_status(pid) for pid in ids]
        assert set(statuses) <= {"DIAJUKAN", "DIREKAM"}, statuses
        read_own = statuses.count("DIREKAM")

    restored_at = time.monotonic()
    ktp_sapu.delay()  # the beat jobs: redo lost verifications and prints, catch up projections
    sweep_projections.delay()
    printed = lambda: [ktp_status(pid) for pid in ids] == ["DICETAK"] * REQUESTS  # noqa: E731
    settle(printed, "every card verified and printed", real_worker)
    caught_up(real_worker)
    print(
        f"\n[faults] broker unreachable: {2 * REQUESTS} commands in {elapsed:.2f} s "
        f"({read_own}/{REQUESTS} read their own recording at once); all "
        f"verified, printed and projected {time.monotonic() - restored_at:.2f} s after it was back"
    )
    for pid in ids:
        assert ktp_events(pid) == KTP_FLOW
        assert audited(pid) == KTP_FLOW
