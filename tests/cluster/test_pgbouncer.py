"""Every kernel feature through PgBouncer in transaction mode, where a server connection is a
client's for one transaction only: the gap-safe feed (xid8 horizon) with 8 writer processes and
concurrent consumers, transaction-level advisory locks, idempotency records, ``SELECT ... FOR
UPDATE`` on checkpoints and streams, and cursors that do not outlive their transaction. The
proofs are the kernel's and the contexts' own tests, run here on the layout."""

from pathlib import Path

import pytest
from django.db import connections

from apps.audit.models import CatatanAudit
from tests.api import test_identity_binding
from tests.izin import test_duplicate_application
from tests.izin.conftest import konfigurasi  # noqa: F401 - a fixture
from tests.kernel import test_concurrency, test_gap_safety
from tests.ktp.conftest import PERMOHONAN, URL
from tests.principals import integrator_client

pytestmark = [pytest.mark.cluster, pytest.mark.django_db(databases="__all__", transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def writers_behind_pgbouncer(monkeypatch):
    # Writer processes get their URLs from tests.support.database_env (host, port, name only).
    monkeypatch.setenv("DB_PGBOUNCER", "1")


@pytest.mark.usefixtures("writers_behind_pgbouncer")
def test_gap_safety_proof_through_pgbouncer_eight_writers_and_consumers():
    assert connections["kerneltest"].settings_dict["PORT"] == 6435  # the rest's PgBouncer
    test_gap_safety.test_eight_writers_and_concurrent_consumers_see_every_event_exactly_once_in_order()


def test_an_event_committed_out_of_position_order_waits_through_pgbouncer():
    test_gap_safety.test_an_event_committed_out_of_position_order_is_not_skipped()


def test_optimistic_concurrency_and_idempotent_appends_through_pgbouncer():
    test_concurrency.test_writers_racing_on_one_stream_one_wins_the_rest_conflict()


def test_the_same_event_appended_concurrently_is_stored_once_through_pgbouncer():
    test_concurrency.test_the_same_event_appended_concurrently_is_stored_once()


def test_advisory_transaction_lock_serialises_duplicate_submissions(konfigurasi, monkeypatch):  # noqa: F811
    test_duplicate_application.test_two_concurrent_submissions_create_exactly_one_application(
        konfigurasi, monkeypatch
    )


def test_one_idempotency_key_posted_ten_times_at_once_through_pgbouncer():
    test_identity_binding.test_ten_concurrent_posts_with_one_idempotency_key_get_the_one_stored_answer()


def test_an_iterator_outside_a_transaction_reads_every_row_through_pgbouncer():
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    for nik in ("3273015708850001", "3204011203900002", "3171024409900002"):
        assert desa.post(URL, {**PERMOHONAN, "nik": nik}, format="json").status_code == 202
    rows = CatatanAudit.objects.using("audit_read").order_by("nomor")
    expected = list(rows.values_list("nomor", flat=True))
    assert len(expected) >= 3
    # A server-side cursor would be declared on one server connection and fetched from another.
    assert [r.nomor for r in rows.iterator(chunk_size=1)] == expected


def test_no_session_level_advisory_lock_anywhere():
    """A session lock would stay with whichever server connection took it: only
    ``pg_advisory_xact_lock`` (released at commit) works behind transaction pooling."""
    sources = [*ROOT.glob("egov/**/*.py"), *ROOT.glob("apps/**/*.py")]
    offending = [
        str(path.relative_to(ROOT))
        for path in sources
        for call in ("pg_advisory_lock(", "pg_try_advisory_lock(", "pg_advisory_lock_shared(")
        if call in path.read_text()
    ]
    assert offending == []
