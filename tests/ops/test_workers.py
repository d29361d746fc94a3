"""Real workers on per-context queues, on Redis and on RabbitMQ: each worker takes only its
queues' tasks, priorities order a queue, the command's correlation id reaches the worker's
log lines, and a worker killed mid-task has its message redelivered to the next worker.

REQUIRE_REDIS=1 / REQUIRE_RABBITMQ=1 (CI) turn a missing broker into a failure."""

import json
import os
import signal
import uuid

import pytest
from celery import signals as celery_signals

from egov.celery import app as celery_app
from egov.eventstore.domain import EventMetadata
from egov.eventstore.tasks import run_projector_task
from egov.observability.logs import bound
from egov.observability.metrics import queue_depths
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import CounterView
from tests.kerneltest.store import store
from tests.ops import workers
from tests.support import stop_worker, wait_until

# The feeds hold events back while any older transaction is open on the (shared) server: the
# projector is asked again every few seconds, as beat's sweep would.
FEED_PATIENCE = 300


def _json_lines(log: str) -> list[dict]:
    return [json.loads(line) for line in log.splitlines() if line.startswith("{")]


@pytest.mark.postgres
@pytest.mark.worker
@pytest.mark.django_db(databases="__all__", transaction=True)
def test_a_worker_takes_its_contexts_queues_only_and_logs_the_commands_correlation(sending):
    broker, prefix = sending
    worker = workers.start(broker, prefix, ["kerneltest", "audit"])
    try:
        correlation = f"uji-{uuid.uuid4()}"
        counter = Penghitung.buat(pemilik="warga-1", nama="Siti Aminah")
        counter.tambah(5)
        with bound(correlation_id=correlation, request_id="permintaan-1"):
            store.save(counter, EventMetadata(actor="petugas", source="test"))

            def projected():
                row = CounterView.objects.using("kerneltest_read").filter(stream_id=counter.id)
                if row.filter(last_version=2).exists():
                    return True
                run_projector_task.delay("kerneltest.counters")  # as the sweep would
                return False

            assert wait_until(projected, timeout=FEED_PATIENCE, interval=3)
        # Nobody here consumes ktp's queue: its task waits there, counted by the gauge.
        run_projector_task.delay("ktp.status")
        assert wait_until(lambda: queue_depths([f"{prefix}ktp"]) == {f"{prefix}ktp": 1})

        lines = _json_lines(worker.log())
        ran = [
            (line["logger"], line["correlation_id"], line["request_id"])
            for line in lines
            if line.get("task_name") == "eventstore.run_projector"
            and line["message"].startswith("task eventstore.run_projector ")
        ]
        assert ("egov.observability.logs", correlation, "permintaan-1") in ran
        assert {line["correlation_id"] for line in lines if line.get("task_name")} == {
            correlation
        }
        assert not [line for line in lines if line["level"] == "ERROR"]
    finally:
        stop_worker(worker)


def _take(broker: str, queue_name: str, count: int) -> list[str]:
    """The projector names of the next ``count`` run_projector messages, in delivery order."""
    with celery_app.connection_for_read(broker) as connection:
        queue = celery_app.amqp.queues[queue_name](connection.default_channel)
        taken = []
        for _ in range(count):
            message = queue.get(no_ack=True)
            taken.append(message.decode()[0][0])
        return taken


def test_a_queue_hands_out_citizen_projections_first_and_reports_last(sending):
    broker, prefix = sending
    for projector in ("pajak.statistik", "pajak.identitas", "pajak.wajib_pajak"):
        run_projector_task.delay(projector)  # a report, a policy, a citizen's page
    assert wait_until(lambda: queue_depths([f"{prefix}pajak"]) == {f"{prefix}pajak": 3})

    assert _take(broker, f"{prefix}pajak", 3) == [
        "pajak.wajib_pajak",
        "pajak.identitas",
        "pajak.statistik",
    ]


# Runs once, in the PostgreSQL pass (the task itself touches no database).
@pytest.mark.postgres
@pytest.mark.worker
def test_a_task_whose_worker_is_killed_runs_again_on_the_next_worker(sending, tmp_path):
    broker, prefix = sending
    # Redis hands an unacknowledged message out again after the visibility timeout (600 s in
    # production, 3 s here); RabbitMQ as soon as the dead worker's connection closes.
    quick = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = workers.start(broker, prefix, ["egov"], env=quick, include=("tests.ops.tasks",))
    (tmp_path / "tahan").touch()
    celery_app.send_task("ops_tahan", args=[str(tmp_path)])
    log = tmp_path / "log"
    try:
        assert wait_until(lambda: log.exists() and log.read_text() == f"start {first.pid}\n")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            stop_worker(first)
    (tmp_path / "tahan").unlink()

    second = workers.start(broker, prefix, ["egov"], env=quick, include=("tests.ops.tasks",))
    try:
        assert wait_until(lambda: "done" in log.read_text(), timeout=120)
        assert log.read_text().splitlines() == [
            f"start {first.pid}",
            f"start {second.pid}",
            f"done {second.pid}",
        ]
    finally:
        stop_worker(second)


def test_the_correlation_header_is_added_only_when_a_correlation_is_bound():
    headers_seen = {}
    celery_signals.before_task_publish.send(sender="x", headers=headers_seen)
    assert headers_seen == {}
    with bound(correlation_id="k-1", request_id="r-1"):
        celery_signals.before_task_publish.send(sender="x", headers=headers_seen)
    assert headers_seen == {"egov_correlation": "k-1", "egov_request": "r-1"}
