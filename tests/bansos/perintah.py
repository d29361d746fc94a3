"""Helpers for the tests of bansos's write side (commands, policy) on its aliases.

The e-KTP context's facts are produced through the kernel and the published contract classes
(``egov.contracts.ktp``): bansos never imports ``apps.ktp``. In a test transaction nothing
runs on commit, so ``jalankan_policy()`` plays the worker that runs the identity policy.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from django.apps import apps as django_apps

from apps.bansos import commands
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.rules import SD, SMP, WIB
from apps.bansos.models import BansosEvent, IndeksInstruksi, ProgramBansos
from apps.bansos.roles import GRUP_PETUGAS, SCOPE_KANAL, SCOPE_PENYALURAN
from apps.bansos.seed import muat_konfigurasi
from apps.bansos.store import store
from egov import clock
from egov.contracts.ktp import KTPDiverifikasi, NIKDiaktifkanKembali, NIKDinonaktifkan
from egov.eventstore.domain import EventMetadata
from egov.eventstore.projections import get_projector, run_projector
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.store import get_store
from egov.principals import CITIZEN, INTEGRATOR, OFFICER, Principal

# A household in Kelurahan Braga, Bandung: mother (pengurus), father, two children at school.
NIK_IBU, NIK_AYAH = "3273014107850001", "3273010101800002"
NIK_ANAK_SD, NIK_ANAK_SMP = "3273015505150003", "3273011203120004"
NO_KK = "3273010101200001"
IBU, AYAH, ANAK_SD, ANAK_SMP = (
    keyed_hash(n) for n in (NIK_IBU, NIK_AYAH, NIK_ANAK_SD, NIK_ANAK_SMP)
)
KK = keyed_hash(NO_KK, purpose="kk")
KELUARGA = (Anggota(IBU), Anggota(AYAH), Anggota(ANAK_SD, SD), Anggota(ANAK_SMP, SMP))
# A second household (a single mother and her child at primary school).
NIK_IBU_B, NIK_ANAK_B = "3273016303900005", "3273010707160006"
IBU_B, ANAK_B = keyed_hash(NIK_IBU_B), keyed_hash(NIK_ANAK_B)
KK_B = keyed_hash("3273010202210002", purpose="kk")
KELUARGA_B = (Anggota(IBU_B), Anggota(ANAK_B, SD))
KODE_DESA = "3273011001"  # Kelurahan Braga, Sumur Bandung, Kota Bandung


def _petugas(name: str, office: str = "") -> Principal:
    return Principal(
        kind=OFFICER, id=f"user:{name}", name=name, roles=frozenset({GRUP_PETUGAS}), office=office
    )


OPERATOR_DESA = _petugas("operator-desa-braga", "3273")
DINSOS = _petugas("dinsos-bandung-1", "3273")
DINSOS_JATIM = _petugas("dinsos-surabaya", "35")
PUSAT, DIREKTUR = _petugas("operator-pusat"), _petugas("direktur-jamsos")
BANK = Principal(
    kind=INTEGRATOR,
    id="client:bri",
    name="BRI",
    scopes=frozenset({SCOPE_PENYALURAN, f"{SCOPE_KANAL}BRI"}),
)
WARGA = Principal(kind=CITIZEN, id="user:siti", name="siti", subject_id=IBU)
PETUGAS_LAIN = Principal(kind=OFFICER, id="user:djp", name="djp", roles=frozenset({"petugas_djp"}))
INTEGRATOR_LAIN = Principal(
    kind=INTEGRATOR, id="client:x", name="X", scopes=frozenset({"bansos:baca"})
)


@pytest.fixture
def konfigurasi():
    """The seed programmes (a transactional test's flush empties the rows the data migration
    wrote, and a reused test database keeps that flush)."""
    if not ProgramBansos.objects.using("bansos").exists():
        muat_konfigurasi(django_apps)


def wib(*args: int) -> datetime:
    """An instant given as Jakarta wall-clock time."""
    return datetime(*args, tzinfo=WIB)


def meta(principal: Principal | None = None) -> EventMetadata:
    if principal is None:
        return EventMetadata(actor="uji", source="test")
    return principal.metadata(source="test", correlation_id="korelasi-uji")


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


def verifikasi_ktp(*niks: str) -> None:
    for nik in niks:
        _ktp(
            KTPDiverifikasi(
                nik_hash=keyed_hash(nik),
                nik=nik,
                officer_id="sistem-dukcapil",
                timestamp="2025-01-02T09:00:00+07:00",
            )
        )


def nonaktifkan_nik(nik: str, alasan: str = "MENINGGAL") -> uuid.UUID:
    return _ktp(NIKDinonaktifkan(nik_hash=keyed_hash(nik), alasan=alasan))


def aktifkan_kembali_nik(nik: str) -> uuid.UUID:
    return _ktp(NIKDiaktifkanKembali(nik_hash=keyed_hash(nik)))


def jalankan_policy() -> int:
    return run_projector(get_projector("bansos.identitas"))


# --- what was written ---------------------------------------------------------------------------
def _aliran(stream_id: uuid.UUID) -> list[uuid.UUID]:
    """A stream, and for a round its instructions' streams too: a round's story is its own
    events and its instructions' (each instruction is a stream of its own)."""
    instruksi = IndeksInstruksi.objects.using("bansos").filter(siklus_id=stream_id)
    return [stream_id, *instruksi.values_list("instruksi_id", flat=True)]


def jenis_event(stream_id: uuid.UUID) -> list[str]:
    """The event types of the stream (a round: with its instructions'), in recorded order."""
    rows = BansosEvent.objects.using("bansos").filter(stream_id__in=_aliran(stream_id))
    return list(rows.order_by("position").values_list("event_type", flat=True))


def _dimuat(stream_id: uuid.UUID) -> list:
    recorded = [r for s in _aliran(stream_id) for r in store.load(s)]
    return sorted(recorded, key=lambda r: r.position)


def event_stream(stream_id: uuid.UUID) -> list:
    """The stream's events (a round: with its instructions'), decrypted, as their domain
    classes, in recorded order."""
    return [r.event for r in _dimuat(stream_id)]


def metadata_terakhir(stream_id: uuid.UUID) -> dict:
    return _dimuat(stream_id)[-1].metadata


def jumlah_event() -> int:
    return BansosEvent.objects.using("bansos").count()


def refused(error_class, code: str, call, *args, **kwargs):
    """``call`` is refused with ``code`` and appends nothing."""
    before = jumlah_event()
    with pytest.raises(error_class) as raised:
        call(*args, **kwargs)
    assert raised.value.code == code
    assert jumlah_event() == before
    return raised.value


# --- scenes set through the commands -----------------------------------------------------------
DIAJUKAN_PADA = wib(2025, 1, 6, 9, 0)
DIVERIFIKASI_PADA = wib(2025, 1, 7, 10, 0)
DITETAPKAN_PADA = wib(2025, 1, 8, 11, 0)
NIK_KELUARGA = (NIK_IBU, NIK_AYAH, NIK_ANAK_SD, NIK_ANAK_SMP)
NIK_KELUARGA_B = (NIK_IBU_B, NIK_ANAK_B)
SK = "SK Kepala Dinas Sosial Kota Bandung No. 1/2025"


def ajukan(
    anggota=KELUARGA,
    *,
    kk: str = KK,
    program: str = "PKH",
    periode: str = "2025-TW1",
    oleh: Principal = OPERATOR_DESA,
    rekening_hash: str = "",
):
    with clock.frozen(DIAJUKAN_PADA):
        return commands.bansos_ajukan_usulan(
            principal=oleh,
            program=program,
            periode=periode,
            nomor_kk_hash=kk,
            pengurus_nik_hash=anggota[0].nik_hash,
            anggota=anggota,
            desil=2,
            kode_wilayah=KODE_DESA,
            metadata=meta(oleh),
            rekening_hash=rekening_hash,
        )


def verifikasi(usulan_id, *, oleh: Principal = DINSOS):
    with clock.frozen(DIVERIFIKASI_PADA):
        return commands.bansos_verifikasi_usulan(
            principal=oleh, usulan_id=usulan_id, metadata=meta(oleh)
        )


def tetapkan(usulan_id, *, oleh: Principal = DINSOS):
    with clock.frozen(DITETAPKAN_PADA):
        return commands.bansos_tetapkan_penerima(
            principal=oleh, usulan_id=usulan_id, dasar_hukum=SK, metadata=meta(oleh)
        )


def penerima(anggota=KELUARGA, niks=NIK_KELUARGA, *, kk: str = KK, **kwargs):
    """A household whose NIKs Dukcapil verified, proposed, verified and decided."""
    verifikasi_ktp(*niks)
    jalankan_policy()
    usulan_id = ajukan(anggota, kk=kk, **kwargs)
    verifikasi(usulan_id)
    tetapkan(usulan_id)
    return usulan_id


SIKLUS_PADA = wib(2025, 4, 14, 9, 0)


def siklus_disetujui(program: str = "PKH", periode: str = "2025-TW2"):
    with clock.frozen(SIKLUS_PADA):
        siklus_id = commands.bansos_buat_siklus(
            principal=PUSAT, program=program, periode=periode, metadata=meta(PUSAT)
        )
        commands.bansos_ajukan_siklus(principal=PUSAT, siklus_id=siklus_id, metadata=meta(PUSAT))
        commands.bansos_setujui_siklus(
            principal=DIREKTUR, siklus_id=siklus_id, metadata=meta(DIREKTUR)
        )
    return siklus_id


INSTRUKSI_PADA = wib(2025, 4, 15, 8, 0)


def buat_instruksi(siklus_id, kanal: str = "BRI", **kwargs):
    with clock.frozen(INSTRUKSI_PADA):
        return commands.bansos_buat_instruksi(
            principal=PUSAT, siklus_id=siklus_id, kanal=kanal, metadata=meta(PUSAT), **kwargs
        )


LAPOR_PADA = wib(2025, 4, 20, 13, 0)


def lapor(instruksi_id, hasil: str, **kwargs):
    with clock.frozen(LAPOR_PADA):
        return commands.bansos_catat_penyaluran(
            principal=BANK, instruksi_id=instruksi_id, hasil=hasil, metadata=meta(BANK), **kwargs
        )
