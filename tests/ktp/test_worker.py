"""The seed's sequence on the real stack: the API answers at once, a real Celery worker on
Redis verifies and prints in the background, PostgreSQL underneath."""

import pytest
from django.core.management import call_command

from apps.audit.models import CatatanAudit
from apps.ktp.models import StatusPermohonanKTP
from tests.ktp.conftest import PERMOHONAN, TEMPLATE, URL, client_for, events
from tests.principals import integrator_client
from tests.support import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(databases="__all__", transaction=True),
]


def _status(pid: str) -> str:
    row = StatusPermohonanKTP.objects.filter(permohonan_id=pid).first()
    return row.status if row else ""


def test_request_recorded_verified_printed_handed_over_with_a_real_worker(real_worker):
    integrator = integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")
    petugas = client_for("petugas", "petugas_dukcapil")
    assert petugas.post("/api/v1/ktp/blangko/", {"jumlah": 1}, format="json").status_code == 200

    created = integrator.post(URL, PERMOHONAN, format="json")
    assert created.status_code == 202
    pid = created.json()["id"]
    assert wait_until(lambda: _status(pid) == "DIAJUKAN", timeout=30)

    recorded = petugas.post(
        f"{URL}{pid}/biometrik/", {"template_hash": TEMPLATE, "lokasi": "Loket 2"}, format="json"
    )
    assert recorded.status_code == 200
    assert wait_until(lambda: _status(pid) == "DICETAK", timeout=30), _status(pid)

    assert petugas.post(f"{URL}{pid}/penyerahan/", format="json").status_code == 200
    assert wait_until(lambda: _status(pid) == "DISERAHKAN", timeout=30)
    assert events(stream_id=pid) == [
        "KTPDibuat",
        "BiometrikDirekam",
        "KTPDiverifikasi",
        "KTPDicetak",
        "KTPDiserahkan",
    ]
    history = petugas.get(f"{URL}{pid}/riwayat/").json()
    assert [h["status"] for h in history] == [
        "DIAJUKAN",
        "DIREKAM",
        "VERIFIED",
        "DICETAK",
        "DISERAHKAN",
    ]
    assert history[2]["officer_id"] == "sistem"  # the central check ran in the worker
    # The audit trail, filled by the same worker: every event of the flow once, in order.
    audited = wait_until(lambda: _audited(pid) if len(_audited(pid)) == 5 else None, timeout=30)
    assert audited == [
        "KTPDibuat",
        "BiometrikDirekam",
        "KTPDiverifikasi",
        "KTPDicetak",
        "KTPDiserahkan",
    ]
    call_command("verify_audit")


def _audited(pid: str) -> list[str]:
    rows = CatatanAudit.objects.using("audit_read").filter(stream_id=pid).order_by("nomor")
    return list(rows.values_list("event_type", flat=True))
