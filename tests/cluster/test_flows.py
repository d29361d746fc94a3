"""Cross-server flows on the layout: e-KTP (ktp server) verifies an applicant, izin (izin
server) resumes the application that waited for it, the audit trail (rest server) records every
feed. Only feeds and published contracts cross servers: no server can query another (see
test_layout), so these flows prove there is no cross-server query.

Failure isolation: with the izin server stopped for real, e-KTP keeps working with a real
worker, izin answers 503, and once izin is back what waited on e-KTP's events is delivered
exactly once."""

import time

import pytest
from django.conf import settings

from apps.izin.models import IdentitasTerverifikasi, IzinEvent, IzinStatus
from apps.ktp.models import KtpEvent
from apps.ktp.roles import GRUP_PETUGAS
from egov.eventstore import projections
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.tasks import sweep_projections
from tests.cluster.conftest import server_stopped, settle
from tests.faults.test_real_stack import (
    HELD_THEN_DELIVERED,
    IZIN_BODY,
    IZIN_URL,
    KTP_FLOW,
    _after_checkpoint,
    audited,
    caught_up,
    izin_events,
    ktp_events,
    ktp_status,
)
from tests.faults.test_real_stack import settle as settle_with_worker
from tests.izin.conftest import (
    NIK,
    NIK_LAIN,
    konfigurasi,  # noqa: F401 - a fixture
)
from tests.ktp.conftest import PERMOHONAN, TEMPLATE
from tests.ktp.conftest import URL as KTP_URL
from tests.principals import integrator_client, officer, session_client

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(databases="__all__", transaction=True),
    pytest.mark.usefixtures("konfigurasi"),
]


@pytest.fixture
def behind_pgbouncer(monkeypatch):
    # A worker process gets its URLs from tests.support.database_env (host, port, name only).
    monkeypatch.setenv("DB_PGBOUNCER", "1")


def _clients():
    loket_oss = integrator_client("loket-oss", "izin:ajukan", "izin:baca")
    desa = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    petugas = session_client(officer("petugas_dukcapil", GRUP_PETUGAS))
    assert petugas.post("/api/v1/ktp/blangko/", {"jumlah": 1}, format="json").status_code == 200
    return loket_oss, desa, petugas


def _ktp_verified_and_printed(desa, petugas, wait) -> str:
    created = desa.post(KTP_URL, PERMOHONAN, format="json")
    assert created.status_code == 202
    ktp_id = created.json()["id"]
    wait(lambda: ktp_status(ktp_id) == "DIAJUKAN")
    biometrik = {"template_hash": TEMPLATE, "lokasi": "Loket 2"}
    recorded = petugas.post(f"{KTP_URL}{ktp_id}/biometrik/", biometrik, format="json")
    assert recorded.status_code == 200
    wait(lambda: ktp_status(ktp_id) == "DICETAK")
    return ktp_id


def test_ktp_verified_izin_resumes_and_the_audit_has_every_feed():
    loket_oss, desa, petugas = _clients()
    held = loket_oss.post(IZIN_URL, IZIN_BODY, format="json")
    assert held.status_code == 202
    held_id = held.json()["id"]
    assert settle(lambda: izin_events(held_id) == HELD_THEN_DELIVERED[:2])

    ktp_id = _ktp_verified_and_printed(desa, petugas, assert_settled)

    assert settle(lambda: izin_events(held_id) == HELD_THEN_DELIVERED)
    assert ktp_events(ktp_id) == KTP_FLOW
    assert settle(lambda: audited(held_id) == HELD_THEN_DELIVERED)
    assert audited(ktp_id) == KTP_FLOW
    status = IzinStatus.objects.using("izin_read").get(permohonan_id=held_id)
    assert status.dikirim_pada is not None


def assert_settled(predicate) -> None:
    assert settle(predicate)


def test_izin_server_stopped_ktp_works_izin_is_503_and_the_backlog_arrives_once(
    behind_pgbouncer, real_worker
):
    loket_oss, desa, petugas = _clients()
    held = loket_oss.post(IZIN_URL, IZIN_BODY, format="json")
    assert held.status_code == 202
    held_id = held.json()["id"]
    caught_up(real_worker)
    assert izin_events(held_id) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]
    identitas = projections.get_projector("izin.identitas")

    def wait(predicate):
        settle_with_worker(predicate, "e-KTP flow", real_worker)

    with server_stopped("izin"):
        started = time.monotonic()
        down = loket_oss.post(IZIN_URL, {**IZIN_BODY, "nik": NIK_LAIN}, format="json")
        print(f"\n[cluster] izin server stopped: 503 in {time.monotonic() - started:.2f} s")
        assert down.status_code == 503
        assert down["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
        assert down.json()["code"] == "layanan_tidak_tersedia"
        assert loket_oss.get(f"{IZIN_URL}{held_id}/").status_code == 503

        # e-KTP, on its own server, answers as usual; the worker verifies and prints.
        ktp_id = _ktp_verified_and_printed(desa, petugas, wait)
        assert desa.get(f"{KTP_URL}{ktp_id}/").status_code == 200
        assert ktp_events(ktp_id) == KTP_FLOW
        sweep_projections.delay()  # what beat does meanwhile: izin skipped, the rest caught up
        skipped = "sweep: projector izin.identitas skipped"
        settle_with_worker(lambda: skipped in real_worker.log(), "sweep skipped izin", real_worker)

    # izin is back; nothing has run its policy since: the verification still waits.
    verified = KtpEvent.objects.using("ktp").get(stream_id=ktp_id, event_type="KTPDiverifikasi")
    assert _after_checkpoint(identitas, verified.event_id)
    restarted = time.monotonic()
    sweep_projections.delay()
    delivered = IzinStatus.objects.using("izin_read").filter(
        permohonan_id=held_id, dikirim_pada__isnull=False
    )
    settle_with_worker(delivered.exists, "held application delivered", real_worker)
    caught_up(real_worker)
    print(f"[cluster] izin backlog delivered {time.monotonic() - restarted:.2f} s after restart")

    # Exactly once: one replica row from that very event, one resumption, one audit entry each.
    replica = IdentitasTerverifikasi.objects.using("izin").filter(nik_hash=keyed_hash(NIK))
    assert list(replica.values_list("status", "sumber_event_id")) == [
        ("VERIFIED", str(verified.event_id))
    ]
    assert izin_events(held_id) == HELD_THEN_DELIVERED
    resumed = IzinEvent.objects.using("izin").filter(event_type="IdentitasPemohonTerverifikasi")
    assert resumed.count() == 1
    statuses = IzinStatus.objects.using("izin_read").values_list("permohonan_id", flat=True)
    assert [str(pid) for pid in statuses] == [held_id]  # the refused request left nothing
    assert audited(held_id) == HELD_THEN_DELIVERED
    assert audited(ktp_id) == KTP_FLOW
