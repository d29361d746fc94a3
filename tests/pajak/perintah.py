"""Helpers for the tests of pajak's write side (commands, policy, beat jobs) on its aliases.

The e-KTP context's events are produced through the kernel and the published contract classes
(``egov.contracts.ktp``), or by the real ktp commands (test_policies): pajak never imports
``apps.ktp``. In a test transaction nothing runs on commit, so ``jalankan_policy()`` plays the
worker that runs the identity policy.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from django.apps import apps as django_apps

from apps.pajak import commands
from apps.pajak.domain.rules import WIB
from apps.pajak.models import PajakEvent, TabelTER
from apps.pajak.roles import GRUP_PETUGAS, SCOPE_DAFTAR, SCOPE_PEMBAYARAN
from apps.pajak.seed import muat_hari_libur, muat_konfigurasi
from apps.pajak.store import store
from egov import clock
from egov.contracts.ktp import KTPDiverifikasi, NIKDinonaktifkan
from egov.eventstore.domain import EventMetadata
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.store import get_store
from egov.principals import CITIZEN, INTEGRATOR, OFFICER, Principal

NIK = "3273015708850001"  # Bandung (3273), born 17 August 1985
NIK_LAIN = "3171024409900002"  # Jakarta Pusat (3171)
NPWP_BADAN = "0013121660091000"  # 01.312.166.0-091.000: check digit 0 over 01312166
NPWP_BADAN_LAIN = "0023456783012000"
NITKU_CABANG = NPWP_BADAN + "000001"

WARGA = Principal(kind=CITIZEN, id="user:siti", name="siti", subject_id=keyed_hash(NIK))
WARGA_LAIN = Principal(kind=CITIZEN, id="user:budi", name="budi", subject_id=keyed_hash(NIK_LAIN))
WARGA_BELUM = Principal(kind=CITIZEN, id="user:baru", name="baru")  # NIK claim not verified
PETUGAS = Principal(  # KPP in West Java (office 32 covers 3273 Bandung)
    kind=OFFICER,
    id="user:p-jabar",
    name="petugas-jabar",
    roles=frozenset({GRUP_PETUGAS}),
    office="32",
)
PETUGAS_JATIM = Principal(
    kind=OFFICER,
    id="user:p-jatim",
    name="petugas-jatim",
    roles=frozenset({GRUP_PETUGAS}),
    office="35",
)
BANK = Principal(
    kind=INTEGRATOR, id="client:bank-a", name="Bank A", scopes=frozenset({SCOPE_PEMBAYARAN})
)
BANK_B = Principal(
    kind=INTEGRATOR, id="client:bank-b", name="Bank B", scopes=frozenset({SCOPE_PEMBAYARAN})
)
OSS = Principal(kind=INTEGRATOR, id="client:oss", name="OSS", scopes=frozenset({SCOPE_DAFTAR}))


@pytest.fixture
def konfigurasi():
    """The seed configuration and holidays (a transactional test's flush empties the rows
    the data migration wrote, and a reused test database keeps that flush)."""
    if not TabelTER.objects.using("pajak").exists():
        muat_konfigurasi(django_apps)
        muat_hari_libur(django_apps)


def wib(*args: int) -> datetime:
    """An instant given as Jakarta wall-clock time."""
    return datetime(*args, tzinfo=WIB)


def meta(actor: str = "uji") -> EventMetadata:
    return EventMetadata(actor=actor, source="test")


# --- the e-KTP context's published facts -----------------------------------------------------
def _ktp(event) -> uuid.UUID:
    [recorded] = get_store("ktp").append(
        stream_id=uuid.uuid4(),
        stream_type="PermohonanKTP",
        expected_version=0,
        events=[event],
        metadata=EventMetadata(actor="dukcapil", source="test"),
    )
    return recorded.event_id


def verifikasi_ktp(nik: str = NIK) -> uuid.UUID:
    return _ktp(
        KTPDiverifikasi(
            nik_hash=keyed_hash(nik),
            nik=nik,
            officer_id="sistem-dukcapil",
            timestamp="2025-06-02T09:00:00+07:00",
        )
    )


def nonaktifkan_nik(nik: str = NIK, alasan: str = "Meninggal dunia") -> uuid.UUID:
    return _ktp(NIKDinonaktifkan(nik_hash=keyed_hash(nik), alasan=alasan))


def jalankan_policy() -> int:
    return run_projector(get_projector("pajak.identitas"))


# --- scenes set through the commands -----------------------------------------------------------
AWAL = wib(2025, 6, 2, 9, 0)  # a Monday: registrations of the tests


def aktifkan(nik: str = NIK, principal: Principal = WARGA, *, pada: datetime = AWAL):
    verifikasi_ktp(nik)
    jalankan_policy()
    with clock.frozen(pada):
        return commands.pajak_aktifkan_npwp(
            principal=principal, nik=nik, nama="Siti Aminah", metadata=meta()
        )


def daftar_badan(npwp: str = NPWP_BADAN, *, pkp: bool = False, pada: datetime = AWAL):
    with clock.frozen(pada):
        wp_id = commands.pajak_daftar_badan(
            principal=PETUGAS, npwp=npwp, nama="PT Maju Jaya", kode_wilayah="3273", metadata=meta()
        )
        if pkp:
            commands.pajak_kukuhkan_pkp(principal=PETUGAS, wajib_pajak_id=wp_id, metadata=meta())
    return wp_id


# --- what was written ---------------------------------------------------------------------------
def jenis_event(stream_id: uuid.UUID) -> list[str]:
    rows = PajakEvent.objects.using("pajak").filter(stream_id=stream_id).order_by("version")
    return list(rows.values_list("event_type", flat=True))


def event_terakhir(stream_id: uuid.UUID):
    """The stream's last event, decrypted, as its domain class."""
    return store.load(stream_id)[-1].event


def jumlah_event() -> int:
    return PajakEvent.objects.using("pajak").count()


def refused(error_class, code: str, call, *args, **kwargs):
    """``call`` is refused with ``code`` and appends nothing."""
    before = jumlah_event()
    with pytest.raises(error_class) as raised:
        call(*args, **kwargs)
    assert raised.value.code == code
    assert jumlah_event() == before
    return raised.value
