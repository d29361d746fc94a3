"""Who viewed my data: every officer (admin) or integrator (API) read of a citizen's data is
recorded; the citizen's own views are not; the citizen sees the list in the portal."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from apps.audit.models import AksesData
from egov.eventstore import projections
from egov.portal import claims
from egov.portal.models import CitizenProfile
from tests.ktp.conftest import LOKET, ajukan, client_for
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")
SIGNUP = {
    "username": "siti",
    "email": "siti@warga.id",
    "password1": "Rahasia-Kuat-2026",
    "password2": "Rahasia-Kuat-2026",
    "nik": "3273015708850001",
}


def _audit() -> None:
    projections.run_projector(projections.get_projector("audit.jejak"))


def _access() -> list[tuple[str, str, str]]:
    rows = AksesData.objects.using("audit_read").order_by("pada")
    return list(rows.values_list("pintu", "konteks", "pengakses"))


def test_each_door_is_recorded_and_the_citizen_sees_who_looked():
    citizen = Client()
    assert citizen.post("/daftar/", SIGNUP).status_code == 302
    profile = CitizenProfile.objects.get(user__username="siti")
    claims.verify_claim(principal=LOKET, profile_id=profile.pk)
    pid = ajukan("3273015708850001")
    citizen.get(f"/ktp/{pid}/")  # the citizen's own view: not an access to record
    _audit()
    assert _access() == []

    client_for("petugas-api", "petugas_dukcapil").get(f"/api/v1/ktp/permohonan/{pid}/")
    officer = User.objects.create_user(
        "petugas-admin", password="x", is_staff=True, is_superuser=True
    )
    officer.groups.add(Group.objects.get_or_create(name="petugas_dukcapil")[0])
    admin = Client()
    admin.force_login(officer)
    with committed("ktp"):
        admin.get(f"/admin/ktp/statuspermohonanktp/{pid}/change/")
    _audit()

    assert _access() == [("api", "ktp", "petugas-api"), ("admin", "ktp", "petugas-admin")]
    home = citizen.get("/").content.decode()
    assert "Siapa melihat data saya" in home
    assert "petugas-api" in home
    assert "petugas-admin" in home
