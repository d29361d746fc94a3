"""Who may do what: every operation of the OpenAPI schema x every kind of caller, each with its
exact expected status. A new endpoint without a rule here fails ``test_every_operation_has_a_rule``.

The scene: citizen A (verified NIK) has an e-KTP request and two permit applications (one
high-risk waiting for an approver, one low-risk already delivered) and is a taxpayer (her NIK
active as NPWP, a billing code, a PPh 21 obligation); citizen B is verified for another NIK; a
claimant signed up with A's NIK but is not verified. A and the claimant also call with a
personal token from the portal ("Akses API"): each token column must equal its owner's session
column, so the rules below name sessions only. A DJP officer (national office)
and a perception bank (scope pajak:pembayaran) call too. 401: not signed in;
403: signed in but not allowed; 404: a record this caller may not see does not exist for them;
409/200/202: allowed, and the answer is the command's own.
"""

from __future__ import annotations

import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import connections, transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from apps.izin import commands as izin
from apps.ktp import commands as ktp
from apps.pajak import commands as pajak
from apps.pajak.domain.rules import TERVERIFIKASI, WIB
from apps.pajak.seed import muat_hari_libur, muat_konfigurasi
from egov import clock
from egov.contracts.ktp import KTPDiverifikasi
from egov.eventstore.pseudonym import keyed_hash
from egov.eventstore.store import get_store
from egov.portal.models import IntegratorGrant
from tests.izin.conftest import konfigurasi, selesaikan  # noqa: F401
from tests.principals import (
    citizen,
    integrator_client,
    officer,
    principal,
    session_client,
    token_client,
)

pytestmark = pytest.mark.django_db(databases="__all__")

NIK_A, NIK_B = "3273015708850001", "3171024409900002"
ACTORS = (
    "anonymous",
    "citizen_a",
    "citizen_b",
    "claimant",
    "petugas_dukcapil",
    "verifikator_oss",
    "approver_oss",
    "integrator_ktp",
    "integrator_izin",
    "integrator_no_scope",
    "admin",
    "petugas_djp",
    "integrator_bank",
)
# A personal token acts exactly as its owner's session: its expected status is the session's.
TOKEN_OF = {"citizen_a_token": "citizen_a", "claimant_token": "claimant"}
CALLERS = (*ACTORS, *TOKEN_OF)
OSS = {"verifikator_oss", "approver_oss", "admin"}


def _with_tokens(statuses: dict[str, int]) -> dict[str, int]:
    return statuses | {token: statuses[owner] for token, owner in TOKEN_OF.items()}


def rule(default: int, **allowed: int) -> dict[str, int]:
    """Every signed-in actor gets ``default`` unless listed; anonymous gets 401."""
    statuses = {actor: allowed.get(actor, default) for actor in ACTORS} | {"anonymous": 401}
    return _with_tokens(statuses)


def public(status: int) -> dict[str, int]:
    return _with_tokens(dict.fromkeys(ACTORS, status))


RULES: dict[str, dict[str, int]] = {
    # --- e-KTP ---------------------------------------------------------------------------
    "ktp_ajukan": rule(  # A already has an open request: allowed callers get 409
        403, citizen_a=409, petugas_dukcapil=409, integrator_ktp=409, admin=409
    ),
    "ktp_status": rule(404, citizen_a=200, petugas_dukcapil=200, admin=200),
    "ktp_riwayat": rule(404, citizen_a=200, petugas_dukcapil=200, admin=200),
    "ktp_cari": rule(403, petugas_dukcapil=200, admin=200),
    "v1_ktp_permohonan_daftar_list": rule(403, petugas_dukcapil=200, admin=200),
    "ktp_rekam_biometrik": rule(403, petugas_dukcapil=200, admin=200),
    "ktp_adjudikasi": rule(403, petugas_dukcapil=409, admin=409),  # not a duplicate
    "ktp_serahkan": rule(403, petugas_dukcapil=409, admin=409),  # not printed yet
    "ktp_tambah_blangko": rule(403, petugas_dukcapil=200, admin=200),
    # --- permits -------------------------------------------------------------------------
    "izin_ajukan": rule(403, citizen_a=202, integrator_izin=202),
    "izin_status": rule(404, citizen_a=200, **dict.fromkeys(OSS, 200)),
    "izin_riwayat": rule(404, citizen_a=200, **dict.fromkeys(OSS, 200)),
    "izin_dokumen": rule(404, citizen_a=200, **dict.fromkeys(OSS, 200)),
    "izin_setujui": rule(403, approver_oss=200, admin=200, verifikator_oss=409),
    "izin_tolak": rule(403, approver_oss=200, admin=200, verifikator_oss=409),
    "izin_minta_perbaikan": rule(403, approver_oss=200, admin=200, verifikator_oss=409),
    "izin_cabut": rule(403, approver_oss=409, admin=409),  # not approved yet
    # the applicant answers a correction (none asked: 409); officers who see it may not
    "izin_perbaikan": rule(404, citizen_a=409, **dict.fromkeys(OSS, 403)),
    "izin_antrean": rule(403, **dict.fromkeys(OSS, 200)),
    "izin_ringkasan": rule(403, **dict.fromkeys(OSS, 200)),
    "izin_verifikasi_dokumen": public(200),
    "izin_kbli": public(200),  # the KBLI risk table: reference data, searchable by anyone
    # --- audit ---------------------------------------------------------------------------
    "audit_kunci_publik": public(200),
    # --- taxes: aggregates for DJP officers (and integrators with pajak:baca) -------------
    "pajak_dasbor": rule(403, admin=200, petugas_djp=200),
    "pajak_laporan": rule(403, admin=200, petugas_djp=200),
    # one taxpayer's records (A is one): A and the DJP officers of her office; others 404
    **dict.fromkeys(
        (
            "pajak_wajib_pajak",
            "pajak_kewajiban",
            "pajak_kode_billing_daftar",
            "pajak_pembayaran_daftar",
        ),
        rule(404, citizen_a=200, petugas_djp=200, admin=200),
    ),
    "pajak_wajib_pajak_saya": rule(404, citizen_a=200),  # only A is registered
    "pajak_daftar_badan": rule(403, petugas_djp=201, admin=201),
    "pajak_aktivasi_npwp": rule(403, citizen_a=409),  # A's NIK is already her NPWP
    # for A: A herself and DJP officers; B is a citizen for whom A does not exist
    "pajak_buat_kode_billing": rule(403, citizen_a=201, citizen_b=404, petugas_djp=201, admin=201),
    "pajak_spt": rule(403, citizen_a=201, citizen_b=404, petugas_djp=201, admin=201),
    "pajak_pembayaran": rule(403, integrator_bank=201),  # perception banks only
    # --- cross-ministry bus: the agency authenticates each message by its Ed25519 signature,
    # not by a login, so no session, token or scope gets an envelope in: an envelope signed
    # for an agency egov does not know is 401 for everyone (tests/bus covers 202/400/403/409)
    "bus_kirim_pesan": public(401),
    # the proof of delivery is public to whoever knows the message id (no personal data);
    # the scene has no message, so the path's id is unknown to everyone
    "bus_bukti": public(404),
    # the published feed: integrators holding feed:<context> only (tests/bus/test_feed.py)
    "feed_baca": rule(403),
    # --- social aid: Kemensos officers (the superuser holds their role); the ids in the
    # paths name no household, round or instruction (BANSOS_ID): 404 for an officer
    "bansos_ajukan_usulan": rule(403, admin=201),
    "bansos_antrean": rule(403, admin=200),
    **dict.fromkeys(
        (
            "bansos_usulan",
            "bansos_verifikasi_usulan",
            "bansos_tetapkan_penerima",
            "bansos_tolak_usulan",
            "bansos_tangguhkan_penerima",
            "bansos_aktifkan_kembali_penerima",
            "bansos_graduasi_penerima",
            "bansos_keluarkan_penerima",
            "bansos_catat_kepatuhan",  # and integrators with bansos:kepatuhan
            "bansos_jawab_keberatan",
            "bansos_siklus",
            "bansos_ajukan_siklus",
            "bansos_setujui_siklus",
            "bansos_buat_instruksi",
            "bansos_tutup_siklus",
        ),
        rule(403, admin=404),
    ),
    "bansos_buat_siklus": rule(403, admin=201),
    "bansos_daftar_siklus": rule(403, admin=200),
    "bansos_dasbor": rule(403, admin=200),  # and integrators with bansos:baca
    # a citizen member of the household appeals: no household here, so 404 for verified
    # citizens; the unverified claimant, officers and integrators 403
    "bansos_ajukan_keberatan": rule(403, citizen_a=404, citizen_b=404),
    # payment channels only (scope bansos:penyaluran; tests/bansos/test_kanal.py): no officer
    "bansos_kanal_instruksi": rule(403),
    "bansos_kanal_laporan": rule(403),
    # --- kernel --------------------------------------------------------------------------
    "wilayah_cari": public(200),  # the region table: public, read-only
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str


def _operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        Operation(method.upper(), path, spec["operationId"])
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
    ]


OPERATIONS = _operations()

BODIES = {
    "ktp_ajukan": {"nik": NIK_A, "nama": "Siti", "tanggal_lahir": "1985-08-17", "jenis": "BARU"},
    "ktp_cari": {"nik": NIK_A},
    "ktp_rekam_biometrik": {"template_hash": "ab" * 32, "lokasi": "Loket 1"},
    "ktp_adjudikasi": {"setujui": True},
    "ktp_tambah_blangko": {"jumlah": 5},
    "izin_ajukan": {
        "nik": NIK_A,
        "nama_pemohon": "Siti",
        "jenis_pelaku": "PERORANGAN",
        "nama_usaha": "Toko Siti",
        "kbli_kode": "56102",
        "kode_wilayah": "3273",
        "skala": "MIKRO",
        "nilai_investasi": "10000000",
    },
    "izin_tolak": {"alasan": "Tidak sesuai KKPR", "dasar_hukum": "PP 21/2021"},
    "izin_cabut": {"alasan": "Pelanggaran", "dasar_hukum": "PP 28/2025"},
    "izin_minta_perbaikan": {"catatan": "Lampirkan PBG"},
    "izin_perbaikan": {"keterangan": "PBG terlampir"},
    "pajak_daftar_badan": {"npwp": "0013121660091000", "nama": "PT Maju", "kode_wilayah": "3273"},
    "pajak_aktivasi_npwp": {"nik": NIK_A, "nama": "Siti Aminah"},
    "pajak_buat_kode_billing": lambda scene: {
        "jenis_pajak": "PPH_OP",
        "masa": "2025",
        "nominal": 1000,
        "wajib_pajak_id": str(scene["wajib_pajak"]),
    },
    "bus_kirim_pesan": {
        "message_id": "6f1c1f8e-3b1a-4d53-9a51-0c2b8f6d9e10",
        "agency": "tidak-terdaftar",
        "event_type": "KematianDicatat",
        "occurred_at": "2026-11-21T09:30:00+07:00",
        "user_id": "petugas-1",
        "case_reference": "KM/1",
        "payload": {"nik": NIK_A, "tanggal_kematian": "2026-11-20", "nomor_akta": "KM-1"},
        "payload_hash": "0" * 64,
        "signature": "A" * 86 + "==",
    },
    "bansos_ajukan_usulan": lambda scene: (
        _bansos_seed()
        and {
            "program": "PKH",
            "periode": "2025-TW1",
            "nomor_kk": "3273010101200001",
            "anggota": [{"nik": NIK_A}, {"nik": "3273011203120004", "komponen": "SMP"}],
            "desil": 2,
            "kode_wilayah": "3273011001",
        }
    ),
    "bansos_tetapkan_penerima": {"dasar_hukum": "SK Dinsos 1/2025"},
    "bansos_tolak_usulan": {"alasan": "Bukan warga desa"},
    "bansos_tangguhkan_penerima": {"alasan": "LAINNYA", "keterangan": "Pindah"},
    "bansos_buat_siklus": lambda scene: (
        _bansos_seed() and {"program": "PKH", "periode": "2025-TW2"}
    ),
    "bansos_buat_instruksi": {"kanal": "BRI"},
    "bansos_aktifkan_kembali_penerima": {"keterangan": "Akta kematian keliru"},
    "bansos_graduasi_penerima": {"keterangan": "Usaha mandiri"},
    "bansos_keluarkan_penerima": {"alasan": "Data ganda"},
    "bansos_catat_kepatuhan": {
        "periode": "2025-TW2",
        "komponen": "SD",
        "patuh": True,
        "sumber": "survei",
    },
    "bansos_ajukan_keberatan": {"alasan": "Ibu kami masih hidup"},
    "bansos_jawab_keberatan": {"keputusan": "DITERIMA", "jawaban": "Akta keliru"},
    "bansos_kanal_laporan": {"status": "GAGAL", "alasan": "Rekening ditutup"},
    "pajak_spt": lambda scene: {"kewajiban_id": str(scene["kewajiban"]), "pajak_terutang": 0},
    "pajak_pembayaran": lambda scene: {
        "kode_billing": scene["kode_billing"],
        "ntpn": "0A1B2C3D4E5F6G7H",
        "ntb": "NTB-1",
        "tanggal_bayar": "2026-11-26T10:00:00+07:00",
        "nominal": 1_250_000,
    },
}


BANSOS_ID = "00000000-0000-4000-8000-00000000b505"  # no household, round or instruction


def _bansos_seed() -> bool:
    """bansos's programmes (a transactional test elsewhere may have flushed the seed)."""
    from apps.bansos.seed import muat_konfigurasi as muat_bansos

    muat_bansos(django_apps)
    return True


def test_every_operation_has_a_rule():
    operations = {op.operation_id for op in OPERATIONS}
    assert sorted(operations - set(RULES)) == [], "new endpoints need a rule in RULES"
    assert sorted(set(RULES) - operations) == [], "rules for endpoints that no longer exist"


@pytest.fixture
def scene(konfigurasi) -> dict:  # noqa: F811 - konfigurasi is the izin seed fixture
    a = principal(citizen("warga_a", NIK_A))
    citizen("warga_b", NIK_B)
    citizen("penyerobot", NIK_A, verified=False)
    petugas = principal(officer("petugas_dukcapil", "petugas_dukcapil"))
    officer("verifikator_oss", "verifikator_oss")
    officer("approver_oss", "approver_oss")
    admin = officer("admin")
    admin.is_superuser = True
    admin.save()
    get_store("ktp").append(  # Dukcapil verified A's NIK earlier: izin's replica learns it
        stream_id=uuid.uuid4(),
        stream_type="PermohonanKTP",
        expected_version=0,
        events=[
            KTPDiverifikasi(nik_hash=keyed_hash(NIK_A), nik=NIK_A, officer_id="s", timestamp="")
        ],
        metadata=petugas.metadata(source="test"),
    )
    ktp_id = ktp.ktp_ajukan(
        principal=a,
        nik=NIK_A,
        nama="Siti Aminah",
        tanggal_lahir=date(1985, 8, 17),
        pernah_kawin=False,
        jenis="BARU",
        metadata=a.metadata(source="test"),
    )
    selesaikan()
    high = _izin(a, kbli="86105", skala="KECIL", nilai="750000000")  # T: approver
    low = _izin(a, kbli="56102", skala="MIKRO", nilai="10000000")  # R: delivered at once
    selesaikan()
    _project_ktp()
    return {
        "ktp": ktp_id,
        "izin": high,
        "izin_dokumen": low,
        "kode": izin_verification_code(low),
        **_pajak(a),
    }


def _pajak(a) -> dict:
    """A is a taxpayer (pajak's replica knows her NIK as verified) with a billing code and a
    PPh 21 obligation for November 2026 opened by a (national) DJP officer."""
    muat_konfigurasi(django_apps)  # a transactional test elsewhere may have flushed the seed
    muat_hari_libur(django_apps)
    djp = principal(officer("petugas_djp", "petugas_djp"))
    meta = djp.metadata(source="test")
    pajak.pajak_catat_identitas(
        nik_hash=keyed_hash(NIK_A), status=TERVERIFIKASI, sumber="uji", metadata=meta
    )
    with clock.frozen(datetime(2026, 11, 25, 10, 0, tzinfo=WIB)):
        wp = pajak.pajak_aktifkan_npwp(principal=a, nik=NIK_A, nama="Siti Aminah", metadata=meta)
        kode = pajak.pajak_buat_kode_billing(
            principal=a, jenis_pajak="PPH_OP", masa="2025", nominal=1_250_000, metadata=meta
        ).kode
        kewajiban = pajak.pajak_timbulkan_kewajiban(
            principal=djp, wajib_pajak_id=wp, jenis_pajak="PPH21", masa="2026-11", metadata=meta
        )
    from egov.eventstore.projections import get_projector, run_projector

    run_projector(get_projector("pajak.wajib_pajak"))
    return {"wajib_pajak": wp, "kode_billing": kode, "kewajiban": kewajiban}


def _izin(a, *, kbli: str, skala: str, nilai: str):
    return izin.izin_ajukan(
        principal=a,
        nik=NIK_A,
        nama_pemohon="Siti Aminah",
        jenis_pelaku="PERORANGAN",
        nama_usaha=f"Usaha {kbli}",
        kbli_kode=kbli,
        kbli_versi="2020",
        kode_wilayah="3273",
        skala=skala,
        nilai_investasi=Decimal(nilai),
        metadata=a.metadata(source="test"),
    )


def _project_ktp() -> None:
    from egov.eventstore.projections import get_projector, run_projector

    run_projector(get_projector("ktp.status"))


def izin_verification_code(permohonan_id) -> str:
    from apps.izin import queries

    return queries.status_izin(permohonan_id).kode_verifikasi


def _client(actor: str) -> APIClient:
    from django.contrib.auth.models import User

    if actor == "anonymous":
        return APIClient()
    if actor == "integrator_no_scope":  # its grant was withdrawn after the token was issued
        client = integrator_client("tanpa-cakupan", "ktp:ajukan", "ktp:baca", "izin:ajukan")
        IntegratorGrant.objects.filter(instansi="Instansi tanpa-cakupan").update(scopes="")
        return client
    if actor.startswith("integrator"):
        scopes = {
            "integrator_ktp": ("ktp:ajukan", "ktp:baca"),
            "integrator_izin": ("izin:ajukan", "izin:baca"),
            "integrator_bank": ("pajak:pembayaran",),
        }[actor]
        return integrator_client(actor.replace("_", "-"), *scopes)
    username = {"citizen_a": "warga_a", "citizen_b": "warga_b", "claimant": "penyerobot"}
    if actor in TOKEN_OF:  # made inside this caller's savepoint, undone with it
        return token_client(User.objects.get(username=username[TOKEN_OF[actor]]))
    return session_client(User.objects.get(username=username.get(actor, actor)))


def _url(op: Operation, scene: dict) -> str:
    record = scene["izin_dokumen"] if op.operation_id == "izin_dokumen" else None
    if record is None:
        record = scene["ktp"] if op.path.startswith("/api/v1/ktp/") else scene["izin"]
    path = op.path.replace("{permohonan_id}", str(record)).replace("{kode}", scene["kode"])
    for name in ("usulan_id", "siklus_id", "instruksi_id"):
        path = path.replace(f"{{{name}}}", BANSOS_ID)
    path = path.replace("{konteks}", "bus")
    return path.replace("{masa}", "2026-11").replace("{wajib_pajak_id}", str(scene["wajib_pajak"]))


class _RolledBack:
    """Run one caller's request in savepoints on every database, then undo it, so each
    caller meets the same scene."""

    def __enter__(self):
        self._stack = ExitStack()
        for alias in connections:
            self._stack.enter_context(transaction.atomic(using=alias))  # noqa: TID251
        return self

    def __exit__(self, *exc):
        for alias in connections:
            transaction.set_rollback(True, using=alias)
        return self._stack.__exit__(*exc)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_each_caller_gets_exactly_the_expected_status(op: Operation, scene: dict):
    expected = RULES[op.operation_id]
    got = {}
    for actor in CALLERS:
        with _RolledBack():
            client = _client(actor)
            call = getattr(client, op.method.lower())
            body = BODIES.get(op.operation_id)
            body = body(scene) if callable(body) else body
            response = call(_url(op, scene), body, format="json") if body else call(_url(op, scene))
            got[actor] = response.status_code
    assert got == expected
