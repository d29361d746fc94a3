"""The multi-server layout (scripts/cluster.sh): each context on its own PostgreSQL server,
PgBouncer in transaction mode in front of each, a streaming replica of the ktp server.

Tests here are marked ``cluster`` and run only when chosen with ``-m cluster`` (scripts/test.sh
runs them as a step of their own, after ``eval "$(scripts/cluster.sh env)"``); the other passes
deselect them. Chosen but the layout does not answer: skipped, or failed when
``REQUIRE_CLUSTER=1`` (CI).

The test databases are created through PgBouncer like any other (``test_egov_<alias>``); the
replica alias is a mirror for Django (never created, migrated or flushed) and is pointed here
at the replica server's copy of its primary's test database, so reads really go there.
"""

import os
import socket
import subprocess
from contextlib import contextmanager, suppress

import psycopg
import psycopg.sql
import pytest
from _pytest.mark.expression import Expression
from django.conf import settings
from django.db import connections

from egov.db import forget_replica_outages, is_replica
from tests.support import wait_until

VERSION = "15"
# server -> (PostgreSQL port, PgBouncer port), as scripts/cluster.sh makes them
SERVERS = {"ktp": (5433, 6433), "izin": (5434, 6434), "rest": (5435, 6435)}
REPLICA = "replica"
REPLICA_PORT = 5436
CLUSTERS = {
    "ktp": "egov_ktp",
    "izin": "egov_izin",
    "rest": "egov_rest",
    REPLICA: "egov_ktp_replica",
}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cluster: needs the multi-server layout of scripts/cluster.sh (-m cluster)"
    )


def cluster_chosen(config) -> bool:
    """Whether ``-m`` selects the cluster tests (``-m cluster``, not ``-m "not cluster"``)."""
    expression = (config.option.markexpr or "").strip()
    return bool(expression) and Expression.compile(expression).evaluate(
        lambda name, **_: name == "cluster"
    )


def pytest_collection_modifyitems(config, items):
    if cluster_chosen(config):
        return
    here = os.path.dirname(__file__)
    deselected = [item for item in items if str(item.path).startswith(here)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item not in deselected]


def server_of(alias: str) -> str:
    if is_replica(alias):
        return REPLICA
    context = alias.removesuffix("_read")
    return context if context in SERVERS else "rest"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def layout_problem() -> str:
    """Why this process is not on the layout ("" when it is)."""
    if os.environ.get("EGOV_CLUSTER") != "1":
        return 'the layout\'s environment is not loaded: eval "$(scripts/cluster.sh env)"'
    for alias, config in settings.DATABASES.items():
        if config["ENGINE"] != "django.db.backends.postgresql":
            return f"{alias} is not on PostgreSQL"
        if not _answers(config["HOST"] or "127.0.0.1", int(config["PORT"] or 5432)):
            return f"{alias} does not answer at {config['HOST']}:{config['PORT']}"
    return ""


@pytest.fixture(scope="session")
def cluster_layout():
    problem = layout_problem()
    if problem and os.environ.get("REQUIRE_CLUSTER") == "1":
        pytest.fail(f"REQUIRE_CLUSTER=1 but {problem} (scripts/cluster.sh up)")
    if problem:
        pytest.skip(problem)


def admin(port: int) -> psycopg.Connection:
    """A direct session (no PgBouncer) on one server's ``postgres`` database."""
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True
    )


def end_test_sessions(*, drop: bool = False) -> None:
    """End the sessions on test databases (PgBouncer keeps idle server connections in its pool
    for a while), so that Django can drop them; with ``drop``, drop a previous run's test
    databases here, directly: through PgBouncer, a login to a database that was just dropped
    fails and PgBouncer refuses that pool's next logins for ``server_login_retry``."""
    for port, _bouncer in SERVERS.values():
        with admin(port) as conn:
            names = [
                name
                for (name,) in conn.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%%'"
                )
            ]
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
                [names],
            )
            for name in names if drop else ():
                conn.execute(
                    psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        psycopg.sql.Identifier(name)
                    )
                )


def replica_caught_up() -> bool:
    """The replica has replayed everything its primary has written so far."""
    with admin(SERVERS["ktp"][0]) as primary:
        [lsn] = primary.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
    with admin(REPLICA_PORT) as replica:
        [done] = replica.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()
    return bool(done)


@pytest.fixture(scope="session")
def django_db_setup(cluster_layout, django_db_setup, django_db_blocker):
    """The suite's own test databases, then each replica alias pointed at its server's copy of
    its primary's test database (Django made it a mirror: the primary's connection)."""
    replicas = [alias for alias in settings.DATABASES if is_replica(alias)]
    for alias in replicas:
        primary = settings.DATABASES[alias]["TEST"]["MIRROR"]
        connections.settings[alias]["NAME"] = connections[primary].settings_dict["NAME"]
        connections[alias].settings_dict = connections.settings[alias]
        connections[alias].close()
    assert wait_until(replica_caught_up, timeout=60), "the replica did not replay the test setup"
    yield
    with django_db_blocker.unblock():
        connections.close_all()
    end_test_sessions()


def pytest_sessionstart(session):
    # Before Django creates the test databases: a previous run's pooled sessions on them would
    # make DROP DATABASE fail.
    if os.environ.get("EGOV_CLUSTER") == "1" and cluster_chosen(session.config):
        with suppress(psycopg.OperationalError):  # the layout is down: cluster_layout says so
            end_test_sessions(drop=True)


@pytest.fixture(autouse=True)
def _replica_outages_forgotten():
    forget_replica_outages()
    yield
    forget_replica_outages()


def pg_ctlcluster(server: str, action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTERS[server], action],
        check=True,
        capture_output=True,
    )


def _port(server: str) -> int:
    return REPLICA_PORT if server == REPLICA else SERVERS[server][0]


@contextmanager
def server_stopped(server: str):
    """The whole PostgreSQL server of ``server`` stopped (fast shutdown: sessions ended), for
    real, until the block ends; then started and answering again."""
    pg_ctlcluster(server, "stop")
    try:
        yield
    finally:
        pg_ctlcluster(server, "start")
        port = _port(server)
        assert wait_until(lambda: _server_ready(port), timeout=60)
        # This thread's sessions with it ended with the server (or PgBouncer dropped them):
        # reconnect on next use, as a request would after its health check.
        aliases = [alias for alias in settings.DATABASES if server_of(alias) == server]
        for alias in aliases:
            connections[alias].close()
        # PgBouncer refuses a pool's first login after failed ones ("server login has been
        # failing") while it reconnects in the background: as the first requests after a
        # restart would be, these are turned away until the pools are open again.
        for alias in aliases:
            assert wait_until(lambda a=alias: _logs_in(a), timeout=30), alias


def _logs_in(alias: str) -> bool:
    config = settings.DATABASES[alias]
    try:
        with psycopg.connect(
            host=config["HOST"],
            port=config["PORT"],
            user=config["USER"],
            dbname=config["NAME"],
            autocommit=True,
            prepare_threshold=None,
        ) as conn:
            conn.execute("SELECT 1")  # PgBouncer may log a client in without a server
        return True
    except psycopg.OperationalError:
        return False


def _server_ready(port: int) -> bool:
    try:
        with admin(port) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False


def _replay_held_by_delay() -> bool:
    with admin(REPLICA_PORT) as replica:
        row = replica.execute(
            "SELECT wait_event FROM pg_stat_activity WHERE backend_type = 'startup'"
        ).fetchone()
    return row is not None and row[0] == "RecoveryApplyDelay"


@contextmanager
def replication_lag(delay: str = "1h"):
    """The replica applies what its primary commits only ``delay`` later
    (``recovery_min_apply_delay``), until the block ends and it has caught up.

    A reload reaches the replica's startup process asynchronously, so the block starts only
    once that process is seen waiting on the delay (wait event ``RecoveryApplyDelay``) before
    a commit made after the setting: every later commit then waits behind it."""
    with admin(REPLICA_PORT) as replica:
        replica.execute(f"ALTER SYSTEM SET recovery_min_apply_delay = '{delay}'")
        replica.execute("SELECT pg_reload_conf()")
    try:
        with admin(SERVERS["ktp"][0]) as primary:
            for _ in range(10):
                primary.execute("SELECT pg_current_xact_id()")  # a commit record to hold
                if wait_until(_replay_held_by_delay, timeout=5):
                    break
            else:
                pytest.fail("the replica's startup process never applied the delay")
        yield
    finally:
        with admin(REPLICA_PORT) as replica:
            replica.execute("ALTER SYSTEM RESET recovery_min_apply_delay")
            replica.execute("SELECT pg_reload_conf()")
        assert wait_until(replica_caught_up, timeout=60), "the replica did not catch up"


def settle(predicate, *, timeout: float = 60):
    """Wait until ``predicate`` holds, running the projection sweep in-process between looks
    (what beat does; tasks run in this process here, no broker)."""
    from egov.eventstore.tasks import sweep_projections

    def step():
        if predicate():
            return True
        sweep_projections()
        return predicate()

    return wait_until(step, timeout=timeout, interval=0.2)
