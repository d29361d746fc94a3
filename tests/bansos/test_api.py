"""bansos's officer API through HTTP (portal sessions of Kemensos officers): a household
proposed with its members' NIKs in the body (hashed at the door, never in a URL), verified
with every rule's reason, decided four-eyes or rejected, suspended; a round from draft to
instructions; the queue, the eligibility page (recorded for the pengurus) and the dashboard.
Exact statuses, codes and events; refusals append nothing."""

import re
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator

from apps.bansos import api_urls
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.models import BansosEvent
from apps.bansos.roles import GRUP_PETUGAS
from apps.bansos.store import store
from egov.eventstore.pseudonym import keyed_hash
from egov.portal.models import OfficerProfile
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    KODE_DESA,
    NIK_ANAK_SD,
    NIK_ANAK_SMP,
    NIK_AYAH,
    NIK_IBU,
    NIK_KELUARGA,
    NO_KK,
    jalankan_policy,
    jenis_event,
    jumlah_event,
    konfigurasi,
    verifikasi_ktp,
)
from tests.bansos.test_projections import proyeksikan
from tests.principals import citizen, integrator_client, officer, session_client

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
API = "/api/v1/bansos/"
SK = "SK Kepala Dinas Sosial Kota Bandung No. 7/2025"
USULAN = {
    "program": "PKH",
    "periode": "2025-TW1",
    "nomor_kk": NO_KK,
    "anggota": [
        {"nik": NIK_IBU},
        {"nik": NIK_AYAH},
        {"nik": NIK_ANAK_SD, "komponen": "SD"},
        {"nik": NIK_ANAK_SMP, "komponen": "SMP"},
    ],
    "desil": 2,
    "kode_wilayah": KODE_DESA,
}


def petugas(username: str, kantor: str = ""):
    user = officer(username, GRUP_PETUGAS)
    OfficerProfile.objects.create(user=user, kantor=kantor)
    return session_client(user)


@pytest.fixture
def desa():
    """The village operator of Bandung (proposes)."""
    return petugas("operator-desa", "3273")


@pytest.fixture
def dinsos():
    """A dinas officer of Bandung (verifies and decides)."""
    return petugas("dinsos-bandung", "3273")


@pytest.fixture
def pusat():
    return petugas("operator-pusat")


@pytest.fixture
def direktur():
    return petugas("direktur-jamsos")


def usulkan(client, body=USULAN, **headers):
    return client.post(f"{API}usulan/", body, format="json", headers=headers)


def keluarga_terverifikasi():
    verifikasi_ktp(*NIK_KELUARGA)
    jalankan_policy()


# --- a household from proposal to decision ---------------------------------------------------
def test_an_officer_proposes_verifies_and_another_decides(desa, dinsos):
    keluarga_terverifikasi()

    diajukan = usulkan(desa)
    assert diajukan.status_code == 201
    usulan_id = diajukan.json()["usulan_id"]
    assert diajukan.json() == {"usulan_id": usulan_id, "status": "DIAJUKAN"}

    verifikasi = dinsos.post(f"{API}usulan/{usulan_id}/verifikasi/")
    assert verifikasi.status_code == 200
    assert verifikasi.json() == {"layak": True, "desil": 2, "gagal": [], "tinjau": [
        {"kode": "desil_belum_dipadankan", "alasan": verifikasi.json()["tinjau"][0]["alasan"],
         "nik_hash": ""},
    ]}  # fmt: skip

    ditetapkan = dinsos.post(f"{API}usulan/{usulan_id}/penetapan/", {"dasar_hukum": SK})
    assert (ditetapkan.status_code, ditetapkan.json()) == (200, {"status": "AKTIF"})
    assert jenis_event(usulan_id) == [
        "UsulanPenerimaDiajukan",
        "UsulanDiverifikasi",
        "PenerimaDitetapkan",
    ]


def test_the_nik_and_kk_are_hashed_at_the_door_and_stored_nowhere_in_clear(desa):
    keluarga_terverifikasi()

    usulan_id = usulkan(desa).json()["usulan_id"]

    [diajukan] = [e.event for e in store.load(uuid.UUID(usulan_id))]
    assert diajukan.nomor_kk_hash == keyed_hash(NO_KK, purpose="kk")
    assert diajukan.pengurus_nik_hash == keyed_hash(NIK_IBU)
    assert [a[0] for a in diajukan.anggota] == [keyed_hash(n) for n in NIK_KELUARGA]
    stored = str(list(BansosEvent.objects.using("bansos").values_list("payload", flat=True)))
    assert not any(nik in stored for nik in (*NIK_KELUARGA, NO_KK))


def test_the_same_proposal_with_the_same_idempotency_key_is_made_once(desa):
    keluarga_terverifikasi()

    first = usulkan(desa, **{"Idempotency-Key": "usulan-braga-1"})
    again = usulkan(desa, **{"Idempotency-Key": "usulan-braga-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (
        BansosEvent.objects.using("bansos").filter(event_type="UsulanPenerimaDiajukan").count() == 1
    )


def test_the_proposer_may_not_decide_their_own_proposal(desa):
    keluarga_terverifikasi()
    usulan_id = usulkan(desa).json()["usulan_id"]
    desa.post(f"{API}usulan/{usulan_id}/verifikasi/")
    before = jumlah_event()

    response = desa.post(f"{API}usulan/{usulan_id}/penetapan/", {"dasar_hukum": SK})

    assert response.status_code == 409
    assert response.json()["code"] == "empat_mata"
    assert jumlah_event() == before


def test_an_ineligible_household_is_shown_every_failed_rule_then_rejected(desa, dinsos):
    """Nobody's NIK is verified by Dukcapil: each member fails ``nik_belum_terverifikasi``."""
    usulan_id = usulkan(desa).json()["usulan_id"]

    verifikasi = dinsos.post(f"{API}usulan/{usulan_id}/verifikasi/").json()
    assert verifikasi["layak"] is False
    assert [(t["kode"], t["nik_hash"]) for t in verifikasi["gagal"]] == [
        ("nik_belum_terverifikasi", keyed_hash(n)) for n in NIK_KELUARGA
    ]
    assert verifikasi["gagal"][0]["alasan"] == "NIK belum dipadankan dengan data Dukcapil."

    tetapkan = dinsos.post(f"{API}usulan/{usulan_id}/penetapan/", {"dasar_hukum": SK})
    assert (tetapkan.status_code, tetapkan.json()["code"]) == (409, "tidak_layak")
    tolak = dinsos.post(f"{API}usulan/{usulan_id}/penolakan/", {"alasan": "NIK tidak padan"})
    assert (tolak.status_code, tolak.json()) == (200, {"status": "DITOLAK"})
    assert jenis_event(usulan_id) == [
        "UsulanPenerimaDiajukan",
        "UsulanDiverifikasi",
        "UsulanDitolak",
    ]

    proyeksikan()
    halaman = dinsos.get(f"{API}usulan/{usulan_id}/").json()
    assert halaman["usulan"]["status"] == "DITOLAK"
    assert [t["kode"] for t in halaman["gagal"]] == ["nik_belum_terverifikasi"]
    assert halaman["gagal"][0]["anggota"] == [keyed_hash(n) for n in NIK_KELUARGA]
    with_english = dinsos.get(f"{API}usulan/{usulan_id}/", headers={"Accept-Language": "en"})
    assert with_english.json()["gagal"][0]["kode"] == "nik_belum_terverifikasi"


def test_reading_a_household_is_recorded_for_its_pengurus(desa, dinsos):
    keluarga_terverifikasi()
    usulan_id = usulkan(desa).json()["usulan_id"]
    proyeksikan()

    response = dinsos.get(f"{API}usulan/{usulan_id}/")

    assert response.status_code == 200
    assert response.json()["usulan"]["penerima_id"] == usulan_id
    [akses] = BansosEvent.objects.using("bansos").filter(event_type="DataPribadiDiakses")
    assert akses.payload == {
        "subject_id": keyed_hash(NIK_IBU),
        "pintu": "api",
        "tujuan": "bansos_api:usulan",
        "pengakses": "dinsos-bandung",
    }


def test_the_queue_lists_the_households_of_the_officers_region_only(desa, dinsos):
    keluarga_terverifikasi()
    usulan_id = usulkan(desa).json()["usulan_id"]
    proyeksikan()
    jatim = petugas("dinsos-surabaya", "35")

    antrean = dinsos.get(f"{API}antrean/", {"status": "DIAJUKAN"})

    assert antrean.status_code == 200
    assert [u["penerima_id"] for u in antrean.json()] == [usulan_id]
    assert jatim.get(f"{API}antrean/").json() == []
    assert dinsos.get(f"{API}antrean/", {"status": "AKTIF"}).json() == []
    assert jatim.get(f"{API}usulan/{usulan_id}/").json()["code"] == "luar_wilayah"


# --- refusals ----------------------------------------------------------------------------------
def test_bad_input_is_refused_naming_the_field_and_nothing_is_appended(desa):
    body = {**USULAN, "nomor_kk": "12345", "anggota": [{"nik": "3273019999999999"}]}

    response = usulkan(desa, body)

    assert response.status_code == 400
    assert set(response.json()) == {"nomor_kk", "anggota"}
    assert response.json()["nomor_kk"] == ["Nomor KK harus 16 digit angka."]
    assert list(response.json()["anggota"]["0"]) == ["nik"]
    assert jumlah_event() == 0


def test_an_empty_household_and_a_bad_period_name_their_fields(desa):
    response = usulkan(desa, {**USULAN, "anggota": [], "periode": "2025-13"})

    assert response.status_code == 400
    assert response.json() == {
        "periode": ["Periode harus YYYY-MM (bulanan) atau YYYY-TW1 sampai YYYY-TW4."],
        "anggota": ["Usulan harus memuat sedikitnya satu anggota keluarga."],
    }


@pytest.mark.parametrize("caller", ["citizen", "other_officer", "reader"])
def test_only_kemensos_officers_act(caller):
    client = {
        "citizen": lambda: session_client(citizen("warga", NIK_IBU)),
        "other_officer": lambda: session_client(officer("petugas-djp", "petugas_djp")),
        "reader": lambda: integrator_client("dashboard-bappenas", "bansos:baca"),
    }[caller]()

    proposal = usulkan(client)
    queue = client.get(f"{API}antrean/")

    assert (proposal.status_code, proposal.json()["code"]) == (403, "bukan_petugas")
    assert (queue.status_code, queue.json()["code"]) == (403, "bukan_petugas")
    assert jumlah_event() == 0


def test_a_proposal_outside_the_officers_region_is_403():
    jatim = petugas("dinsos-surabaya", "35")

    response = usulkan(jatim)

    assert (response.status_code, response.json()["code"]) == (403, "luar_wilayah")
    assert jumlah_event() == 0


def test_an_unknown_household_is_404(dinsos):
    unknown = "7c0e7a52-3b5a-4f7e-9d39-4d0b7c6f1a10"

    assert dinsos.get(f"{API}usulan/{unknown}/").status_code == 404
    response = dinsos.post(f"{API}usulan/{unknown}/verifikasi/")
    assert (response.status_code, response.json()["code"]) == (404, "tidak_ditemukan")


def test_no_nik_or_kk_number_travels_in_a_url(dinsos):
    routes = [str(p.pattern) for p in api_urls.urlpatterns]
    parameters = {name for route in routes for name in re.findall(r"<(?:\w+:)?(\w+)>", route)}
    assert parameters == {"usulan_id", "siklus_id", "instruksi_id"}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    in_urls = {
        parameter["name"]
        for path, item in schema["paths"].items()
        if path.startswith(API)
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter.get("in") in ("path", "query")
    }
    assert not {n for n in in_urls if "nik" in n or n == "nomor_kk"}
    # a NIK where an id belongs names nothing; a NIK as a query parameter is not read
    assert dinsos.get(f"{API}usulan/{NIK_IBU}/").status_code == 404
    assert dinsos.get(f"{API}antrean/", {"nik": NIK_IBU}).json() == []


# --- a round, from draft to instructions -------------------------------------------------------
def penerima_aktif(desa, dinsos) -> str:
    keluarga_terverifikasi()
    usulan_id = usulkan(desa).json()["usulan_id"]
    dinsos.post(f"{API}usulan/{usulan_id}/verifikasi/")
    assert (
        dinsos.post(f"{API}usulan/{usulan_id}/penetapan/", {"dasar_hukum": SK}).status_code == 200
    )
    return usulan_id


def test_a_round_is_built_approved_four_eyes_and_instructed(desa, dinsos, pusat, direktur):
    penerima_id = penerima_aktif(desa, dinsos)

    dibuat = pusat.post(f"{API}siklus/", {"program": "PKH", "periode": "2025-TW2"})
    assert dibuat.status_code == 201
    siklus_id = dibuat.json()["siklus_id"]
    assert dibuat.json() == {"siklus_id": siklus_id, "status": "DRAF"}
    assert pusat.post(f"{API}siklus/{siklus_id}/pengajuan/").json() == {"status": "DIAJUKAN"}
    sendiri = pusat.post(f"{API}siklus/{siklus_id}/persetujuan/")
    assert (sendiri.status_code, sendiri.json()["code"]) == (409, "empat_mata")
    setuju = direktur.post(f"{API}siklus/{siklus_id}/persetujuan/")
    assert (setuju.status_code, setuju.json()) == (200, {"status": "DISETUJUI"})

    instruksi = pusat.post(f"{API}siklus/{siklus_id}/instruksi/", {"kanal": "BRI"})

    assert instruksi.status_code == 200
    expected_id = str(instruksi_id(uuid.UUID(siklus_id), uuid.UUID(penerima_id)))
    assert instruksi.json() == {"dibuat": [expected_id], "dilewati": []}
    assert jenis_event(siklus_id) == [
        "SiklusPenyaluranDibuat",
        "SiklusDiajukan",
        "SiklusDisetujui",
        "InstruksiPembayaranDibuat",
    ]
    tutup = pusat.post(f"{API}siklus/{siklus_id}/penutupan/")
    assert (tutup.status_code, tutup.json()["code"]) == (409, "rekonsiliasi_tidak_seimbang")

    proyeksikan()
    halaman = pusat.get(f"{API}siklus/{siklus_id}/").json()
    assert halaman["siklus"]["status"] == "DISALURKAN"
    assert halaman["siklus"]["rekonsiliasi"] == {
        "jumlah_instruksi": 1,
        "diinstruksikan": 600_000,
        "disalurkan": 0,
        "dikembalikan": 0,
        "gagal": 0,
        "dibatalkan": 0,
        "belum_final": 1,
        "selisih": 600_000,
        "seimbang": False,
    }
    assert [(i["instruksi_id"], i["status"]) for i in halaman["instruksi"]] == [
        (expected_id, "DIBUAT")
    ]
    assert [s["siklus_id"] for s in pusat.get(f"{API}siklus/").json()] == [siklus_id]


def test_suspending_a_recipient_cancels_its_pending_instruction(desa, dinsos, pusat, direktur):
    penerima_id = penerima_aktif(desa, dinsos)
    siklus_id = pusat.post(f"{API}siklus/", {"program": "PKH", "periode": "2025-TW2"}).json()[
        "siklus_id"
    ]
    pusat.post(f"{API}siklus/{siklus_id}/pengajuan/")
    direktur.post(f"{API}siklus/{siklus_id}/persetujuan/")
    pusat.post(f"{API}siklus/{siklus_id}/instruksi/", {"kanal": "BRI"})

    response = dinsos.post(
        f"{API}usulan/{penerima_id}/penangguhan/",
        {"alasan": "MENINGGAL", "nik": NIK_AYAH, "keterangan": "Akta kematian desa"},
    )

    assert (response.status_code, response.json()) == (200, {"status": "DITANGGUHKAN"})
    assert jenis_event(penerima_id)[-1] == "PenerimaDitangguhkan"
    assert jenis_event(siklus_id)[-1] == "InstruksiDibatalkan"


def test_the_dashboard_is_for_officers_and_readers_with_bansos_baca(desa, dinsos):
    penerima_aktif(desa, dinsos)
    proyeksikan()
    reader = integrator_client("dashboard-bappenas", "bansos:baca")

    for client in (dinsos, reader):
        response = client.get(f"{API}dasbor/", {"program": "PKH"})
        assert response.status_code == 200
        assert [(r["kode_provinsi"], r["aktif"]) for r in response.json()] == [
            ("32", 1),
            ("", 1),
        ]
    warga = session_client(citizen("warga", NIK_IBU))
    assert warga.get(f"{API}dasbor/").json()["code"] == "bukan_pembaca"
