"""Fixtures of the e-KTP tests: users per role, HTTP clients, the committed-callbacks helper."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from apps.ktp import commands
from apps.ktp.models import KtpEvent
from apps.ktp.roles import GRUP_PETUGAS
from tests.principals import counter_officer, integrator_client, officer, session_client
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
LOKET = counter_officer(GRUP_PETUGAS, "petugas")  # the officer at the counter
OFFICER = LOKET.metadata(source="test")


def client_for(username: str, group: str | None = None) -> APIClient:
    """A person's session: an officer when given a role group, else a citizen without NIK."""
    if group:
        return session_client(officer(username, group))
    return session_client(User.objects.get_or_create(username=username)[0])


def events(**filters) -> list[str]:
    rows = KtpEvent.objects.using("ktp").filter(**filters).order_by("position")
    return list(rows.values_list("event_type", flat=True))


def ajukan(nik: str = NIK) -> str:
    with committed("ktp"):
        return str(
            commands.ktp_ajukan(
                principal=LOKET,
                nik=nik,
                nama="Warga",
                tanggal_lahir=date(1990, 1, 1),
                pernah_kawin=False,
                jenis="BARU",
                metadata=LOKET.metadata(source="test"),
            )
        )


@pytest.fixture
def integrator() -> APIClient:
    """A village service system allowed to submit requests and read its own."""
    return integrator_client("sistem-desa", "ktp:ajukan", "ktp:baca")


@pytest.fixture
def petugas() -> APIClient:
    return client_for("petugas", GRUP_PETUGAS)


@pytest.fixture
def blangko():
    with committed("ktp"):
        commands.ktp_tambah_blangko(principal=LOKET, jumlah=5, metadata=OFFICER)
