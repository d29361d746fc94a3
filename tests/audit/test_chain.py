"""The audit trail: one record per event of every context, hash-chained, sealed, verifiable."""

import base64
import io

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from apps.audit import chain
from apps.audit.models import CatatanAudit, SegelAudit
from egov.eventstore import projections
from egov.eventstore.domain import EventMetadata
from tests.kerneltest.domain import Penghitung
from tests.kerneltest.models import KernelEvent
from tests.kerneltest.store import store
from tests.support import wait_until

pytestmark = pytest.mark.django_db(databases="__all__")
META = EventMetadata(
    actor="petugas-7", officer_id="petugas-7", source="test", correlation_id="corr-9"
)


def make_events(counters: int = 3) -> list:
    made = []
    for i in range(counters):
        counter = Penghitung.buat(pemilik=f"warga-{i}", nama="Nama Rahasia")
        counter.tambah(1)
        made += store.save(counter, META)
    return made


def run_audit() -> int:
    """Project the trail until no committed event is left behind: on PostgreSQL another
    session's open transaction (a test or bench beside this one) may hide new events from the
    gap-safe feed for a while."""
    projector = projections.get_projector("audit.jejak")
    applied = [projections.run_projector(projector)]

    def caught_up() -> bool:
        if not projections.held_back(projector):
            return True
        applied.append(projections.run_projector(projector))
        return False

    assert wait_until(caught_up, timeout=60)
    return sum(applied)


def records() -> list[CatatanAudit]:
    return list(CatatanAudit.objects.using("audit_read").order_by("nomor"))


def test_every_event_is_recorded_once_in_feed_order_with_who_and_why():
    appended = make_events(2)

    run_audit()
    run_audit()  # nothing new: no duplicate

    rows = records()
    assert [r.event_id for r in rows] == [e.event_id for e in appended]
    assert [r.nomor for r in rows] == [1, 2, 3, 4]
    first = rows[0]
    assert (first.konteks, first.event_type, first.subject_id) == (
        "kerneltest",
        "PenghitungDibuat",
        "warga-0",
    )
    assert (first.aktor, first.officer_id, first.correlation_id) == (
        "petugas-7",
        "petugas-7",
        "corr-9",
    )
    assert "Nama Rahasia" not in str(vars(first))  # no names, no raw NIK
    assert [r.hash_sebelumnya for r in rows[1:]] == [r.hash for r in rows[:-1]]


def test_redelivering_an_event_to_the_projector_changes_nothing():
    [event, *_] = make_events(1)
    run_audit()
    before = [(r.nomor, r.hash) for r in records()]

    projector = projections.get_projector("audit.jejak")
    from egov.eventstore.feed import read_feed

    for recorded in read_feed("kerneltest"):
        projector.handle(recorded)

    assert [(r.nomor, r.hash) for r in records()] == before
    assert event.event_id == records()[0].event_id


def test_seals_are_signed_and_a_third_party_can_check_them(settings):
    settings.AUDIT_SEAL_EVERY = 2
    make_events(2)
    run_audit()

    seals = list(SegelAudit.objects.using("audit_read").order_by("nomor"))
    key = APIClient().get("/api/v1/audit/kunci-publik/").json()

    assert [s.nomor for s in seals] == [2, 4]
    assert seals[-1].hash == records()[-1].hash
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["kunci_publik"]))
    public.verify(
        base64.b64decode(seals[-1].tanda_tangan),
        chain.seal_message(seals[-1].nomor, seals[-1].hash),
    )  # raises if forged


def test_verify_audit_passes_on_an_untouched_chain():
    make_events(3)
    run_audit()
    out = io.StringIO()

    call_command("verify_audit", stdout=out)

    assert "Jejak audit utuh: 6 catatan." in out.getvalue()


def test_the_audit_projector_reports_lag_and_backfills_from_the_first_event():
    make_events(2)  # before the audit ever ran: a new, empty audit database
    out = io.StringIO()
    call_command("projections", stdout=out)
    line = next(
        x
        for x in out.getvalue().splitlines()
        if x.startswith("audit.jejak") and " kerneltest " in x
    )
    assert line.split()[-1] == "4"  # lag

    run_audit()

    assert len(records()) == KernelEvent.objects.using("kerneltest").count() == 4


def test_the_audit_trail_is_never_rebuilt_by_emptying_it():
    out = io.StringIO()
    call_command("rebuild_projections", "audit.jejak", stdout=out)
    assert "not rebuildable" in out.getvalue()
    with pytest.raises(RuntimeError):
        projections.rebuild(projections.get_projector("audit.jejak"))


def test_verify_audit_fails_loudly():
    make_events(1)
    run_audit()
    forged = records()[0]
    # A record whose source event does not exist (inserted through the ORM, which may insert).
    values = {name: getattr(forged, name) for name in chain.FIELDS}
    values.update(nomor=3, event_id="00000000-0000-0000-0000-000000000001")
    CatatanAudit.objects.using("audit_read").create(
        **values,
        hash_sebelumnya=records()[-1].hash,
        hash=chain.record_hash(values, records()[-1].hash),
    )

    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")
