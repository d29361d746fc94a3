"""Citizen notifications: one per event and channel even when redelivered; temporary failures
retried with backoff, permanent ones stop; officers resend."""

import pytest
from django.contrib.auth.models import User
from django.core import mail

from apps.ktp import commands as ktp
from apps.notifikasi import commands
from apps.notifikasi.models import NotifikasiEvent, NotifikasiView
from egov.eventstore import projections
from egov.eventstore.feed import read_feed
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.models import TERVERIFIKASI, CitizenProfile
from egov.principals import AccessDenied
from tests.ktp.conftest import LOKET, NIK_LAIN, OFFICER, TEMPLATE, ajukan
from tests.notifikasi.failing_backend import FlakyBackend
from tests.principals import citizen, counter_officer, principal
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
NIK = "3273015708850001"


def _citizen(email: str = "siti@warga.id") -> None:
    user = User.objects.create_user("siti", email, "x")
    CitizenProfile.objects.create(
        user=user, subject_id=keyed_hash(NIK), nik_masked=mask_nik(NIK), status=TERVERIFIKASI
    )


def _printed_card() -> str:
    with committed("ktp"):
        ktp.ktp_tambah_blangko(principal=LOKET, jumlah=1, metadata=OFFICER)
    pid = ajukan(NIK)
    with committed("ktp", "notifikasi"):
        ktp.ktp_rekam_biometrik(
            principal=LOKET, permohonan_id=pid, template_hash=TEMPLATE, lokasi="A", metadata=OFFICER
        )
    return pid


def _notify() -> None:
    with committed("notifikasi"):
        projections.run_projector(projections.get_projector("notifikasi.kebijakan"))
    projections.run_projector(projections.get_projector("notifikasi.status"))


def _statuses() -> list[str]:
    rows = NotifikasiEvent.objects.using("notifikasi").order_by("position")
    return [r.payload["status"] for r in rows]


def test_a_printed_card_sends_one_email_even_when_the_event_is_delivered_twice():
    _citizen()
    _printed_card()

    _notify()
    policy = projections.get_projector("notifikasi.kebijakan")
    with committed("notifikasi"):
        for event in read_feed("ktp"):
            policy.handle(event)  # redelivery of every ktp event
    _notify()

    assert [m.subject for m in mail.outbox] == ["KTP-el Anda sudah dicetak"]
    assert mail.outbox[0].to == ["siti@warga.id"]
    assert _statuses() == ["created", "sending", "delivered"]
    assert list(NotifikasiView.objects.values_list("jenis", "status")) == [
        ("KTPDicetak", "delivered")
    ]


def test_a_temporary_failure_is_retried_until_delivered(settings):
    settings.EMAIL_BACKEND = "tests.notifikasi.failing_backend.FlakyBackend"
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    FlakyBackend.attempts, FlakyBackend.FAILURES = 0, 2
    _citizen()
    _printed_card()

    _notify()

    assert FlakyBackend.attempts == 3
    assert _statuses() == [
        "created",
        "sending",
        "failed",
        "sending",
        "failed",
        "sending",
        "delivered",
    ]
    row = NotifikasiView.objects.get()
    assert (row.status, row.percobaan) == ("delivered", 3)


def test_failures_past_the_last_retry_are_permanent_and_an_officer_can_resend(settings):
    settings.EMAIL_BACKEND = "tests.notifikasi.failing_backend.FlakyBackend"
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    FlakyBackend.attempts, FlakyBackend.FAILURES = 0, 100
    _citizen()
    _printed_card()

    _notify()

    row = NotifikasiView.objects.get()
    assert (row.status, row.permanen, row.percobaan) == ("failed", True, 6)  # 1 + 5 retries
    FlakyBackend.FAILURES = 0
    petugas = counter_officer("petugas_dukcapil", "petugas")

    with committed("notifikasi"):
        commands.notifikasi_kirim_ulang(
            principal=petugas,
            notifikasi_id=row.notifikasi_id,
            metadata=petugas.metadata(source="test"),
        )
    _notify()
    assert NotifikasiView.objects.get().status == "delivered"


def test_a_citizen_without_an_email_address_fails_permanently_without_retries():
    _printed_card()  # no account: nobody to write to

    _notify()

    assert _statuses() == ["created", "sending", "failed"]
    assert NotifikasiView.objects.get().permanen is True
    assert mail.outbox == []


def test_only_an_officer_may_resend_a_notification():
    _printed_card()  # no account: fails permanently
    _notify()
    row = NotifikasiView.objects.get()
    warga = principal(citizen("budi", NIK_LAIN))

    with pytest.raises(AccessDenied), committed("notifikasi"):
        commands.notifikasi_kirim_ulang(
            principal=warga, notifikasi_id=row.notifikasi_id, metadata=warga.metadata(source="t")
        )

    assert _statuses() == ["created", "sending", "failed"]


def test_an_officer_resends_from_the_admin(settings, client):
    settings.EMAIL_BACKEND = "tests.notifikasi.failing_backend.FlakyBackend"
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    FlakyBackend.attempts, FlakyBackend.FAILURES = 0, 100
    _citizen()
    _printed_card()
    _notify()
    row = NotifikasiView.objects.get()
    FlakyBackend.FAILURES = 0
    client.force_login(User.objects.create_superuser("kepala", "k@egov.test", "x"))

    with committed("notifikasi"):
        response = client.post(
            "/admin/notifikasi/notifikasiview/",
            {"action": "kirim_ulang", "_selected_action": [str(row.notifikasi_id)]},
        )
    _notify()

    assert response.status_code == 302
    assert NotifikasiView.objects.get().status == "delivered"
