"""Each alias is on its own context's server, reached through that server's PgBouncer; the
replica alias reads a server in recovery. No server can reach another's data (no dblink, no
foreign data wrapper), so a flow that works here has made no cross-server query."""

import os

import pytest
from django.conf import settings
from django.db import connections

from egov.db import is_replica
from tests.cluster.conftest import REPLICA, REPLICA_PORT, SERVERS, server_of

pytestmark = [pytest.mark.cluster, pytest.mark.django_db(databases="__all__")]


def _server(alias: str) -> tuple[int, bool, list[str]]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        port, in_recovery = cursor.fetchone()
        cursor.execute("SELECT extname FROM pg_extension ORDER BY extname")
        extensions = [name for (name,) in cursor.fetchall()]
    return port, in_recovery, extensions


def test_every_alias_is_on_its_contexts_server_behind_its_pgbouncer():
    for alias, config in settings.DATABASES.items():
        server = server_of(alias)
        port, in_recovery, extensions = _server(alias)
        assert extensions == ["plpgsql"], alias
        if server == REPLICA:
            assert (port, in_recovery, int(config["PORT"])) == (REPLICA_PORT, True, REPLICA_PORT)
            continue
        direct, bouncer = SERVERS[server]
        assert (port, in_recovery, int(config["PORT"])) == (direct, False, bouncer), alias
        assert config["DISABLE_SERVER_SIDE_CURSORS"] is True, alias
        assert config["OPTIONS"]["prepare_threshold"] is None, alias  # nothing prepared


def test_ktp_izin_and_the_rest_are_three_servers_and_every_alias_is_configured():
    assert {server_of(alias) for alias in settings.DATABASES} == {"ktp", "izin", "rest", REPLICA}
    # A context added to egov without a line in scripts/cluster.sh would silently fall back.
    explicit = {
        alias for alias in settings.DATABASES if f"DATABASE_URL_{alias.upper()}" in os.environ
    }
    assert explicit == set(settings.DATABASES)
    assert [alias for alias in settings.DATABASES if is_replica(alias)] == ["ktp_read_replica"]
