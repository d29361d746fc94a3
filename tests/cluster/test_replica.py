"""The read side on a streaming replica: queries read the replica, commands and projectors the
primary; whoever just acted reads their own write while the replica lags
(``recovery_min_apply_delay``); a replica that is down leaves every read on the primary."""

import pytest
from django.conf import settings
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

import egov.db
from apps.ktp.models import StatusPermohonanKTP
from egov.db import READ_PRIMARY_COOKIE, atomic, read_alias_for, reading_primary
from tests.cluster.conftest import (
    REPLICA,
    replica_caught_up,
    replication_lag,
    server_stopped,
    settle,
)
from tests.ktp.conftest import PERMOHONAN, URL
from tests.principals import integrator_client
from tests.support import wait_until

pytestmark = [pytest.mark.cluster, pytest.mark.django_db(databases="__all__", transaction=True)]

TABLE = StatusPermohonanKTP._meta.db_table


def _submitted(client) -> str:
    """Submit a request, then read as the client will once its read-your-writes pin expires."""
    response = client.post(URL, PERMOHONAN, format="json")
    assert response.status_code == 202
    assert READ_PRIMARY_COOKIE in response.cookies
    client.cookies.pop(READ_PRIMARY_COOKIE)
    return response.json()["id"]


def _on(alias: str, permohonan_id: str) -> bool:
    return StatusPermohonanKTP.objects.using(alias).filter(permohonan_id=permohonan_id).exists()


def _reads_of_table(alias: str, request) -> int:
    with CaptureQueriesContext(connections[alias]) as queries:
        response = request()
    assert response.status_code == 200
    return sum(TABLE in query["sql"] for query in queries.captured_queries)


def test_queries_read_the_replica_commands_and_projectors_the_primary():
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    pid = _submitted(desa)
    assert settle(lambda: _on("ktp_read", pid))  # projected on the primary, in-process
    assert wait_until(replica_caught_up)

    def detail():
        return desa.get(f"{URL}{pid}/")

    assert _reads_of_table("ktp_read_replica", detail) == 1
    assert _reads_of_table("ktp_read", detail) == 0
    assert router.db_for_read(StatusPermohonanKTP) == "ktp_read_replica"
    assert router.db_for_write(StatusPermohonanKTP) == "ktp_read"
    with atomic("ktp"):  # a command deciding
        assert router.db_for_read(StatusPermohonanKTP) == "ktp_read"
    with atomic("ktp_read"):  # a projector applying a batch
        assert router.db_for_read(StatusPermohonanKTP) == "ktp_read"
    with reading_primary():
        assert router.db_for_read(StatusPermohonanKTP) == "ktp_read"
    assert read_alias_for("izin_read") == "izin_read"  # no replica configured for izin


def test_with_the_replica_an_hour_behind_the_client_that_acted_reads_its_own_write(monkeypatch):
    monkeypatch.setattr(egov.db, "READ_YOUR_WRITES_SECONDS", 600)
    assert "egov.db.ReadYourWritesMiddleware" in settings.MIDDLEWARE
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    with replication_lag("1h"):
        response = desa.post(URL, PERMOHONAN, format="json")
        assert response.status_code == 202
        pid = response.json()["id"]
        assert response.cookies[READ_PRIMARY_COOKIE]["max-age"] == 600
        assert settle(lambda: _on("ktp_read", pid))

        # The client that acted: pinned to the primary by its cookie.
        mine = desa.get(f"{URL}{pid}/")
        assert (mine.status_code, mine.json()["status"]) == (200, "DIAJUKAN")
        # Without the cookie the replica answers, and it has not applied the write yet.
        desa.cookies.clear()
        assert desa.get(f"{URL}{pid}/").status_code == 404
        assert not _on("ktp_read_replica", pid)
        assert _on("ktp_read", pid)

    # The lag over, the replica has it too.
    assert _on("ktp_read_replica", pid)
    later = desa.get(f"{URL}{pid}/")
    assert (later.status_code, later.json()["status"]) == (200, "DIAJUKAN")


def test_a_replica_that_is_down_leaves_reads_on_the_primary(caplog):
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    pid = _submitted(desa)
    assert settle(lambda: _on("ktp_read", pid))

    with server_stopped(REPLICA):
        connections["ktp_read_replica"].close()
        assert _reads_of_table("ktp_read", lambda: desa.get(f"{URL}{pid}/")) == 1
        assert read_alias_for("ktp_read") == "ktp_read"
        warnings = [r.getMessage() for r in caplog.records if "read replica" in r.getMessage()]
        assert len(warnings) == 1  # once per window, not per query
        assert warnings[0].startswith("read replica ktp_read_replica unreachable")
        ready = desa.get("/readyz")  # reported, but the instance still serves
        assert ready.status_code == 200
        assert ready.json()["databases"]["ktp_read_replica"] != "ok"

    egov.db.forget_replica_outages()  # (after DB_REPLICA_RETRY_SECONDS in production)
    assert wait_until(replica_caught_up)
    assert _reads_of_table("ktp_read_replica", lambda: desa.get(f"{URL}{pid}/")) == 1
