"""Fixtures of the izin tests. The e-KTP context's events are produced through the kernel and
the published contract classes (egov.contracts.ktp): izin never imports ``apps.ktp``."""

import uuid
from decimal import Decimal

import pytest

from apps.izin import commands
from apps.izin.domain.referensi import TabelRisikoKBLI
from apps.izin.models import HariLibur, IzinEvent, RisikoKBLI, TenggatTahap
from apps.izin.seed import muat_konfigurasi
from egov.contracts.ktp import KTPDiverifikasi, NIKDinonaktifkan
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.store import get_store
from egov.principals import INTEGRATOR, Principal
from tests.principals import counter_officer

NIK = "3273015708850001"
NIK_LAIN = "3171024409900002"


def verifikasi_ktp(nik: str) -> None:
    get_store("ktp").append(
        stream_id=uuid.uuid4(),
        stream_type="PermohonanKTP",
        expected_version=0,
        events=[
            KTPDiverifikasi(
                nik_hash=keyed_hash(nik),
                nik=nik,
                officer_id="sistem-dukcapil",
                timestamp="2026-11-25T09:00:00+07:00",
            )
        ],
        metadata=EventMetadata(actor="dukcapil", source="test"),
    )


# An OSS front office system submitting applications (scope izin:ajukan).
LOKET = Principal(
    kind=INTEGRATOR, id="client:loket-oss", name="pemohon", scopes=frozenset({"izin:ajukan"})
)
VERIFIKATOR = counter_officer("verifikator_oss", "v")
APPROVER = counter_officer("approver_oss", "a")


def peristiwa_permohonan():
    """izin's events but the KBLI table's publication (``kbli_terbit``, as ``migrate_all``
    does): what a refused request must not have added to."""
    return IzinEvent.objects.exclude(stream_type=TabelRisikoKBLI.stream_type)


def metadata(actor: str = "pemohon") -> EventMetadata:
    return EventMetadata(actor=actor, source="test")


def ajukan(**overrides) -> uuid.UUID:
    values = {
        "nik": NIK,
        "nama_pemohon": "Sri Wahyuni",
        "jenis_pelaku": "PERORANGAN",
        "nama_usaha": "Warung Bu Sri",
        "kbli_kode": "56102",
        "kbli_versi": "2020",
        "kode_wilayah": "3273",
        "skala": "MIKRO",
        "nilai_investasi": Decimal("50000000"),
        "metadata": metadata(),
        "principal": LOKET,
    }
    return commands.izin_ajukan(**{**values, **overrides})


@pytest.fixture
def konfigurasi():
    """The seed configuration (a transactional test's flush empties the migration's rows)."""
    muat_konfigurasi(RisikoKBLI, TenggatTahap, HariLibur)


PROJECTORS = ("izin.identitas", "izin.status", "izin.pengiriman", "izin.dokumen")


def selesaikan() -> None:
    """What a worker does after commits (in a test transaction on_commit never fires): run
    the izin projectors and policies until quiet, and deliver approved documents."""
    from apps.izin.tasks import izin_kirim
    from egov.eventstore.projections import get_projector, run_projector

    while True:
        applied = sum(run_projector(get_projector(name)) for name in PROJECTORS)
        delivered = [izin_kirim(str(pid)) for pid in commands.perlu_dikirim()]
        if not applied and not any(delivered):
            return


def nonaktifkan_nik(nik: str) -> None:
    get_store("ktp").append(
        stream_id=uuid.uuid4(),
        stream_type="PermohonanKTP",
        expected_version=0,
        events=[NIKDinonaktifkan(nik_hash=keyed_hash(nik))],
        metadata=EventMetadata(actor="dukcapil", source="test"),
    )
