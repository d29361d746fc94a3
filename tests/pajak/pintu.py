"""Scenes for the tests of pajak's front doors (API, portal pages, demo): real accounts and
clients (tests/principals.py), the scene set through the real commands, the read side
projected as a worker would after the commit (``proyeksikan``)."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from django.apps import apps as django_apps

from apps.pajak import commands
from apps.pajak.domain.rules import TERVERIFIKASI, WIB
from apps.pajak.models import PajakEvent
from apps.pajak.roles import GRUP_PETUGAS
from apps.pajak.seed import muat_hari_libur, muat_konfigurasi
from egov import clock
from egov.eventstore.domain import EventMetadata
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from egov.portal.models import OfficerProfile
from tests.principals import citizen, officer, principal

NIK = "3273015708850001"  # Bandung (3273): Siti, verified
NIK_LAIN = "3171024409900002"  # Jakarta Pusat (3171): Budi, verified
NPWP_BADAN = "0013121660091000"
AWAL = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)  # a Monday: the scene's registrations
META = EventMetadata(actor="uji", source="test")


@pytest.fixture
def konfigurasi():
    """The seed configuration and holidays (a transactional test's flush empties the
    migration's rows; both loaders are idempotent)."""
    muat_konfigurasi(django_apps)
    muat_hari_libur(django_apps)


def proyeksikan() -> None:
    """What a worker does after the commit: the taxpayer's records and the statistics."""
    for name in ("pajak.wajib_pajak", "pajak.statistik"):
        run_projector(get_projector(name))


def dukcapil_memverifikasi(nik: str) -> None:
    """pajak's replica learns the NIK is verified, as the identity policy records it."""
    commands.pajak_catat_identitas(
        nik_hash=keyed_hash(nik), status=TERVERIFIKASI, sumber="uji", metadata=META
    )


def warga_terdaftar(username: str, nik: str) -> uuid.UUID:
    """A verified citizen account whose NIK is active as NPWP; returns the taxpayer's id."""
    user = citizen(username, nik)
    dukcapil_memverifikasi(nik)
    with clock.frozen(AWAL):
        wp_id = commands.pajak_aktifkan_npwp(
            principal=principal(user), nik=nik, nama="Warga Uji", metadata=META
        )
    proyeksikan()
    return wp_id


def petugas_djp(username: str, kantor: str):
    """A DJP officer whose office covers the region codes starting with ``kantor``."""
    user = officer(username, GRUP_PETUGAS)
    OfficerProfile.objects.update_or_create(user=user, defaults={"kantor": kantor})
    return user


def event_types(**filters) -> list[str]:
    rows = PajakEvent.objects.using("pajak").filter(**filters).order_by("position")
    return list(rows.values_list("event_type", flat=True))
