"""Fixtures of the ops tests: the broker (Redis or RabbitMQ) a real worker runs on, and this
test process sending to it with per-context routing under a private queue prefix."""

import os

import pytest
from django.test import override_settings
from kombu import pools as kombu_pools

from egov.celery import app as celery_app
from egov.db import forget_broker_outage
from egov.queues import DEFAULT_QUEUE
from tests.ops import workers


@pytest.fixture(params=["redis", "rabbitmq"])
def broker(request) -> str:
    url = workers.BROKERS[request.param]
    if not workers.reachable(url):
        if os.environ.get(workers.REQUIRED[request.param]) == "1":
            pytest.fail(f"{workers.REQUIRED[request.param]}=1 but {url} is not reachable")
        pytest.skip(f"{request.param} not reachable at {url}")
    return url


def _forget_connections() -> None:
    forget_broker_outage()
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def sending(broker):
    """This process sends tasks to ``broker`` with per-context queues under a fresh prefix;
    yields ``(broker_url, prefix)``. The test's queues are deleted afterwards."""
    prefix = workers.new_prefix()
    keys = ("task_always_eager", "broker_url", "task_default_queue")
    previous = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(
        task_always_eager=False, broker_url=broker, task_default_queue=prefix + DEFAULT_QUEUE
    )
    _forget_connections()
    try:
        with override_settings(QUEUE_PREFIX=prefix):
            yield broker, prefix
    finally:
        celery_app.conf.update(previous)
        _forget_connections()
        from django.conf import settings

        names = [prefix + queue for queue in [*settings.CONTEXTS, DEFAULT_QUEUE]]
        workers.delete_queues(broker, names)
