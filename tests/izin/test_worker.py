"""The full flow on PostgreSQL with a real Celery worker: identity events from the e-KTP feed
(both orders), the policy, the projection, the delivery task, up to ``IzinDikirim`` and a
document anyone can verify."""

import hashlib

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.audit.models import CatatanAudit
from apps.izin.models import DokumenIzinTerbit, IdentitasTerverifikasi, IzinEvent, IzinStatus
from egov.eventstore.pseudonym import keyed_hash
from tests.izin.conftest import NIK, NIK_LAIN, ajukan, verifikasi_ktp
from tests.principals import citizen, session_client
from tests.support import wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(databases="__all__", transaction=True),
    pytest.mark.usefixtures("konfigurasi"),
]
SAMPAI_DIKIRIM = [
    "PermohonanIzinDibuat",
    "TingkatRisikoDitetapkan",
    "IzinDisetujui",
    "IzinDikirim",
]


def event_types(stream_id) -> list[str]:
    rows = IzinEvent.objects.filter(stream_id=stream_id).order_by("version")
    return list(rows.values_list("event_type", flat=True))


def delivered(permohonan_id) -> IzinStatus | None:
    """The status row once both projectors have applied ``IzinDikirim`` (the document's own
    row is what the download reads; the two projectors run independently)."""
    if not DokumenIzinTerbit.objects.filter(permohonan_id=permohonan_id).exists():
        return None
    return IzinStatus.objects.filter(
        permohonan_id=permohonan_id, dikirim_pada__isnull=False
    ).first()


def test_held_application_is_released_by_the_ktp_event_and_delivered(real_worker):
    permohonan_id = ajukan(kbli_kode="56101")  # restoran: MR, automatic once identity is known
    assert event_types(permohonan_id) == ["PermohonanIzinDibuat", "MenungguVerifikasiIdentitas"]

    verifikasi_ktp(NIK)

    row = wait_until(lambda: delivered(permohonan_id), timeout=60)
    assert row is not None, "the worker did not deliver the permit"
    assert event_types(permohonan_id) == [
        "PermohonanIzinDibuat",
        "MenungguVerifikasiIdentitas",
        "IdentitasPemohonTerverifikasi",
        "TingkatRisikoDitetapkan",
        "IzinDisetujui",
        "IzinDikirim",
    ]
    assert (row.tahap, row.tingkat_risiko, row.keputusan) == (
        "DISETUJUI",
        "MR",
        "SERTIFIKAT_STANDAR_MANDIRI",
    )
    _assert_document_is_verifiable(permohonan_id, row, NIK)


def test_application_after_verification_proceeds_at_once(real_worker):
    verifikasi_ktp(NIK_LAIN)
    replica = IdentitasTerverifikasi.objects.filter(nik_hash=keyed_hash(NIK_LAIN))
    assert wait_until(replica.exists, timeout=60), "the identity policy did not run"

    permohonan_id = ajukan(nik=NIK_LAIN, kbli_kode="62019")  # software house: R

    row = wait_until(lambda: delivered(permohonan_id), timeout=60)
    assert row is not None, "the worker did not deliver the permit"
    assert event_types(permohonan_id) == SAMPAI_DIKIRIM
    _assert_document_is_verifiable(permohonan_id, row, NIK_LAIN)
    # The audit trail, filled by the same worker: every event of the flow once, in order.
    audited = wait_until(
        lambda: _audited(permohonan_id) == SAMPAI_DIKIRIM and _audited(permohonan_id), timeout=30
    )
    assert audited == SAMPAI_DIKIRIM
    call_command("verify_audit")


def _audited(permohonan_id) -> list[str]:
    rows = CatatanAudit.objects.using("audit_read").filter(stream_id=permohonan_id)
    return list(rows.order_by("nomor").values_list("event_type", flat=True))


def _assert_document_is_verifiable(permohonan_id, row: IzinStatus, nik: str) -> None:
    owner = session_client(citizen("pemohon", nik))  # the citizen the permit is for
    pdf = owner.get(f"/api/v1/izin/{permohonan_id}/dokumen/")
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.content).hexdigest() == row.dokumen_sha256
    check = APIClient().get(f"/api/v1/izin/verifikasi/{row.kode_verifikasi}/")
    assert check.status_code == 200
    assert (check.json()["nib"], check.json()["sha256"]) == (row.nib, row.dokumen_sha256)
