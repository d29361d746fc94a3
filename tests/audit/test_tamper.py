"""Tampering on PostgreSQL as a superuser who disables the triggers: verify_audit names the
first broken record. And two feeds projected at once never fork the chain."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connections

from apps.audit.models import CatatanAudit
from egov.db import atomic
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from tests.audit.test_chain import make_events, records, run_audit
from tests.support import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(databases="__all__", transaction=True)]

TAMPERING = {
    "change a field": "UPDATE audit_catatanaudit SET aktor = 'orang-lain' WHERE nomor = 3",
    "delete a row": "DELETE FROM audit_catatanaudit WHERE nomor = 3",
    "insert a row": (
        "INSERT INTO audit_catatanaudit (nomor, konteks, event_id, event_type, stream_id, "
        "subject_id, aktor, officer_id, correlation_id, recorded_at, hash_sebelumnya, hash) "
        "SELECT 7, konteks, gen_random_uuid(), event_type, stream_id, subject_id, aktor, "
        "officer_id, correlation_id, recorded_at, hash, repeat('a', 64) "
        "FROM audit_catatanaudit WHERE nomor = 6"
    ),
}
FIRST_BROKEN = {"change a field": "#3", "delete a row": "#3", "insert a row": "#7"}


def _as_superuser_without_triggers(sql: str) -> None:
    with connections["audit_read"].cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql)
        cursor.execute("SET session_replication_role = DEFAULT")


def test_the_triggers_refuse_changes_from_the_application():
    make_events(1)
    run_audit()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        atomic("audit_read"),
        connections["audit_read"].cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_catatanaudit SET aktor = 'x'")


@pytest.mark.parametrize("case", list(TAMPERING))
def test_verify_audit_names_the_first_broken_record(case):
    make_events(3)
    run_audit()
    call_command("verify_audit")  # untouched: passes

    _as_superuser_without_triggers(TAMPERING[case])

    with pytest.raises(CommandError, match=FIRST_BROKEN[case]):
        call_command("verify_audit")


def test_two_feeds_projected_at_the_same_time_never_fork_the_chain():
    from egov.eventstore.store import get_store

    make_events(10)
    for i in range(10):
        get_store("ktp").forget_subject(f"warga-ktp-{i}", EventMetadata(actor="t", source="t"))
    projector = projections.get_projector("audit.jejak")

    def project(feed: str) -> None:
        while projections.project_batch(projector, feed, limit=3):
            pass

    run_threads(project, [("kerneltest",), ("ktp",)])

    rows = records()
    assert len(rows) == 30
    assert [r.nomor for r in rows] == list(range(1, 31))
    call_command("verify_audit")
    assert CatatanAudit.objects.using("audit_read").values("event_id").distinct().count() == 30
