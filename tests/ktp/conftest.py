"""Fixtures of the e-KTP tests: users per role, HTTP clients, the committed-callbacks helper."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from apps.ktp import commands
from apps.ktp.api import GRUP_PETUGAS
from apps.ktp.models import KtpEvent
from egov.eventstore.domain import EventMetadata
from tests.support import committed

NIK = "3273015708850001"
NIK_LAIN = "3204011203900002"
TEMPLATE = "ab" * 32
URL = "/api/v1/ktp/permohonan/"
PERMOHONAN = {
    "nik": NIK,
    "nama": "Siti Aminah",
    "tanggal_lahir": "1985-08-17",
    "pernah_kawin": False,
    "jenis": "BARU",
}
OFFICER = EventMetadata(actor="petugas", officer_id="petugas", source="test")


def client_for(username: str, group: str | None = None) -> APIClient:
    user, _ = User.objects.get_or_create(username=username)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    client = APIClient()
    client.force_authenticate(user)
    return client


def events(**filters) -> list[str]:
    rows = KtpEvent.objects.using("ktp").filter(**filters).order_by("position")
    return list(rows.values_list("event_type", flat=True))


def ajukan(nik: str = NIK) -> str:
    with committed("ktp"):
        return str(
            commands.ktp_ajukan(
                nik=nik,
                nama="Warga",
                tanggal_lahir=date(1990, 1, 1),
                pernah_kawin=False,
                jenis="BARU",
                metadata=EventMetadata(actor="warga", source="test"),
            )
        )


@pytest.fixture
def integrator() -> APIClient:
    return client_for("integrator-bank", "integrator")


@pytest.fixture
def petugas() -> APIClient:
    return client_for("petugas", GRUP_PETUGAS)


@pytest.fixture
def blangko():
    with committed("ktp"):
        commands.ktp_tambah_blangko(jumlah=5, metadata=OFFICER)
