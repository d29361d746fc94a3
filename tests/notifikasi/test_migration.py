"""Upgrading an installation whose notifications live in the audit context:
``manage.py pindah_notifikasi`` moves them, data intact, and nothing is sent twice."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command

from apps.ktp import commands as ktp
from apps.notifikasi.models import NotifikasiEvent, NotifikasiView, PemilikPermohonan
from apps.notifikasi.policies import NotifikasiPolicy, UpgradePending
from egov.eventstore import projections
from egov.eventstore.feed import read_feed
from egov.eventstore.models import Checkpoint
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.eventstore.store import COLUMNS, get_store
from egov.portal.models import TERVERIFIKASI, CitizenProfile
from tests.ktp.conftest import LOKET, NIK, NIK_LAIN, OFFICER, TEMPLATE, ajukan
from tests.notifikasi.old_state import OLD_POLICY, notify_in_audit_store
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
NEW_PROJECTORS = ("notifikasi.kebijakan", "notifikasi.status")
FIELDS = COLUMNS  # an event row as an append writes it


def _citizen() -> None:
    user = User.objects.create_user("siti", "siti@warga.id", "x")
    CitizenProfile.objects.create(
        user=user, subject_id=keyed_hash(NIK), nik_masked=mask_nik(NIK), status=TERVERIFIKASI
    )


def _old_installation(monkeypatch) -> None:
    """Two printed cards (one citizen with an e-mail address, one without), notified the old
    way, in the audit store; the new context's projectors do not exist yet."""
    for name in NEW_PROJECTORS:
        monkeypatch.delitem(projections._projectors, name)
    _citizen()
    with committed("ktp"):
        ktp.ktp_tambah_blangko(principal=LOKET, jumlah=2, metadata=OFFICER)
    for nik, template in ((NIK, TEMPLATE), (NIK_LAIN, "cd" * 32)):
        pid = ajukan(nik)
        with committed("ktp"):
            ktp.ktp_rekam_biometrik(
                principal=LOKET,
                permohonan_id=pid,
                template_hash=template,
                lokasi="A",
                metadata=OFFICER,
            )
    assert notify_in_audit_store("ktp") == 2
    monkeypatch.undo()


def _audit_notifications():
    rows = get_store("audit").event_model.objects.using("audit")
    return rows.filter(stream_type="Notifikasi").order_by("position")


def _events(rows) -> list[tuple]:
    return [tuple(getattr(row, name) for name in FIELDS) for row in rows]


def _expected_views() -> dict:
    """The rows the old status projector kept, from the old events."""
    views: dict = {}
    for row in _audit_notifications():
        p = row.payload
        view = views.setdefault(
            row.stream_id,
            {
                "subject_id": p.get("subject_id"),
                "jenis": p.get("sumber_event_type"),
                "kanal": p.get("kanal"),
                "dibuat_pada": row.recorded_at,
                "percobaan": 0,
                "galat": "",
            },
        )
        view["status"], view["permanen"] = p["status"], bool(p.get("permanen", False))
        view["percobaan"] = p.get("percobaan", view["percobaan"])
        if row.event_type == "NotifikasiGagal":
            view["galat"] = p["alasan"]
        view["diperbarui_pada"], view["last_version"] = row.recorded_at, row.version
    return views


def _views() -> dict:
    fields = (
        "subject_id",
        "jenis",
        "kanal",
        "dibuat_pada",
        "percobaan",
        "galat",
        "status",
        "permanen",
        "diperbarui_pada",
        "last_version",
    )
    return {
        row["notifikasi_id"]: {name: row[name] for name in fields}
        for row in NotifikasiView.objects.values("notifikasi_id", *fields)
    }


def test_pindah_notifikasi_moves_the_events_and_sends_nothing_twice(monkeypatch):
    _old_installation(monkeypatch)
    assert [m.to for m in mail.outbox] == [["siti@warga.id"]]  # the old code's one e-mail
    mail.outbox.clear()
    old_events = _events(_audit_notifications())

    call_command("pindah_notifikasi")

    assert _events(NotifikasiEvent.objects.using("notifikasi").order_by("position")) == old_events
    assert _views() == _expected_views()
    assert sorted(v["status"] for v in _views().values()) == ["delivered", "failed"]
    assert PemilikPermohonan.objects.count() == 2
    old = Checkpoint.objects.using("audit_read").get(projector=OLD_POLICY, feed="ktp")
    new = Checkpoint.objects.using("notifikasi_read").get(
        projector="notifikasi.kebijakan", feed="ktp"
    )
    assert (new.tx, new.position) == (old.tx, old.position)

    # The policy catches up (nothing new), then every ktp event is delivered again.
    policy = projections.get_projector("notifikasi.kebijakan")
    with committed("notifikasi"):
        projections.run_projector(policy)
        for event in read_feed("ktp"):
            policy.handle(event)
    projections.run_projector(projections.get_projector("notifikasi.status"))

    assert mail.outbox == []
    assert _events(NotifikasiEvent.objects.using("notifikasi").order_by("position")) == old_events
    assert _views() == _expected_views()

    call_command("pindah_notifikasi")  # a second run changes nothing
    assert NotifikasiEvent.objects.using("notifikasi").count() == len(old_events)
    assert _views() == _expected_views()
    assert _audit_notifications().count() == len(old_events)  # the audit store keeps them


def test_a_new_installation_has_nothing_to_move():
    call_command("pindah_notifikasi")

    assert NotifikasiEvent.objects.using("notifikasi").count() == 0
    assert NotifikasiView.objects.count() == 0


def test_the_new_policy_refuses_to_run_before_the_upgrade_so_nothing_is_sent_twice(
    monkeypatch,
):
    _old_installation(monkeypatch)
    mail.outbox.clear()
    monkeypatch.setattr(NotifikasiPolicy, "_upgraded", False)
    policy = projections.get_projector("notifikasi.kebijakan")

    with pytest.raises(UpgradePending, match="pindah_notifikasi"):
        projections.run_projector(policy)

    assert mail.outbox == []
    assert NotifikasiEvent.objects.using("notifikasi").count() == 0
    call_command("pindah_notifikasi")
    with committed("notifikasi"):
        projections.run_projector(policy)
    assert mail.outbox == []
