"""A recipient after the decision through the three doors: the citizen's appeal from the
portal (reached from "Bantuan saya") and the API, the officers' answer, reactivation,
graduation and exit through the admin and the API, compliance from a school system. Exact
events, statuses and codes; refusals append nothing; the read side (the officers' queue and
the citizen's "Bantuan saya") follows once the projector ran."""

import uuid

import pytest
from django.test import Client
from django.utils import translation

from apps.bansos import queries
from apps.bansos.models import BansosEvent
from apps.bansos.read_models import BantuanWarga, UsulanRingkas
from apps.bansos.roles import GRUP_PETUGAS
from apps.bansos.store import store
from egov.portal.models import OfficerProfile
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    AYAH,
    IBU,
    KELUARGA_B,
    KK_B,
    NIK_ANAK_SD,
    NIK_AYAH,
    NIK_IBU,
    NIK_IBU_B,
    NIK_KELUARGA_B,
    jalankan_policy,
    jenis_event,
    jumlah_event,
    konfigurasi,
    nonaktifkan_nik,
    penerima,
)
from tests.bansos.test_admin import aksi
from tests.bansos.test_projections import proyeksikan
from tests.principals import citizen, integrator_client, officer, session_client

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
API = "/api/v1/bansos/usulan/"
HALAMAN = "/bansos/keberatan/"
ADMIN = "/admin/bansos/usulanringkas/"


def warga(username: str, nik: str, *, verified: bool = True) -> Client:
    client = Client()
    client.force_login(citizen(username, nik, verified=verified))
    return client


def petugas(username: str, kantor: str = "3273") -> Client:
    user = officer(username, GRUP_PETUGAS)
    OfficerProfile.objects.update_or_create(user=user, defaults={"kantor": kantor})
    client = session_client(user)
    return client


def ditangguhkan() -> uuid.UUID:
    """A PKH household in Bandung, suspended when Dukcapil recorded a child's death."""
    penerima_id = penerima()
    nonaktifkan_nik(NIK_ANAK_SD)
    jalankan_policy()
    proyeksikan()
    return penerima_id


def status_dibaca(penerima_id) -> tuple[str, list[str]]:
    """The household's status in the officers' queue and in its members' "Bantuan saya"."""
    proyeksikan()
    usulan = UsulanRingkas.objects.get(penerima_id=penerima_id).status
    warga_ = BantuanWarga.objects.filter(penerima_id=penerima_id).values_list("status", flat=True)
    return usulan, sorted(set(warga_))


def keberatan_terbuka(penerima_id) -> bool:
    proyeksikan()
    return UsulanRingkas.objects.get(penerima_id=penerima_id).keberatan_terbuka


# --- the citizen's appeal from the portal --------------------------------------------------------
def test_the_portal_home_leads_a_member_to_the_appeal_page():
    ditangguhkan()
    with translation.override("id"):
        home = warga("siti", NIK_IBU).get("/").content.decode()
    assert 'href="/bansos/keberatan/"' in home
    assert "Ajukan keberatan" in home


def test_a_member_appeals_from_the_portal():
    penerima_id = ditangguhkan()
    client = warga("budi", NIK_AYAH)  # the father, a member, not the pengurus

    with translation.override("id"):
        halaman = client.get(HALAMAN)
        kirim = client.post(
            HALAMAN, {"penerima_id": str(penerima_id), "alasan": "Anak kami masih bersekolah"}
        )
        beranda = client.get(kirim.url).content.decode()

    assert halaman.status_code == 200
    assert "Program Keluarga Harapan (PKH) 2025-TW1 (Ditangguhkan)" in halaman.content.decode()
    assert (kirim.status_code, kirim.url) == (302, "/")
    assert "Keberatan Anda atas Program Keluarga Harapan (PKH) 2025-TW1" in beranda
    [e] = [r.event for r in store.load(penerima_id) if r.event_type == "KeberatanDiajukan"]
    assert (e.alasan, e.diajukan_oleh, e.pengurus_nik_hash) == (
        "Anak kami masih bersekolah",
        "budi",
        IBU,
    )
    assert keberatan_terbuka(penerima_id) is True


def test_a_second_appeal_while_one_is_open_is_the_forms_error():
    penerima_id = ditangguhkan()
    client = warga("siti", NIK_IBU)
    data = {"penerima_id": str(penerima_id), "alasan": "Anak kami masih hidup"}
    client.post(HALAMAN, data)
    before = jumlah_event()

    with translation.override("id"):
        lagi = client.post(HALAMAN, data)

    html = lagi.content.decode()
    assert lagi.status_code == 200
    assert "Masih ada keberatan yang belum dijawab." in html
    assert "govuk-error-summary" in html
    assert jumlah_event() == before


def test_a_citizen_not_a_member_cannot_appeal_a_household():
    penerima_id = ditangguhkan()
    client = warga("rina", NIK_IBU_B)
    before = jumlah_event()

    with translation.override("id"):
        halaman = client.get(HALAMAN).content.decode()
        kirim = client.post(HALAMAN, {"penerima_id": str(penerima_id), "alasan": "Coba"})

    assert "Tidak ada bantuan sosial keluarga Anda yang dapat diajukan keberatan." in halaman
    assert kirim.status_code == 200
    assert "govuk-error-summary" in kirim.content.decode()
    assert jumlah_event() == before


def test_a_proposal_not_decided_is_not_offered_for_appeal():
    from tests.bansos.perintah import ajukan, verifikasi_ktp

    verifikasi_ktp(*NIK_KELUARGA_B)
    ajukan(KELUARGA_B, kk=KK_B)
    proyeksikan()
    with translation.override("id"):
        halaman = warga("rina", NIK_IBU_B).get(HALAMAN).content.decode()
    assert "Tidak ada bantuan sosial keluarga Anda yang dapat diajukan keberatan." in halaman
    assert "<form" not in halaman.split("</header>")[-1].split("<footer")[0]


def test_an_unverified_citizen_is_told_how_to_get_verified():
    ditangguhkan()
    with translation.override("id"):
        halaman = warga("penyerobot", NIK_IBU, verified=False).get(HALAMAN).content.decode()
    assert "NIK akun Anda belum terverifikasi." in halaman


def test_officers_and_strangers_do_not_use_the_appeal_page():
    assert petugas("dinsos-bandung").get(HALAMAN).status_code == 403
    anonim = Client().get(HALAMAN)
    assert anonim.status_code == 302
    assert "/masuk/" in anonim.url


# --- the appeal and its answer through the API --------------------------------------------------
def test_a_member_appeals_through_the_api_once_per_key():
    penerima_id = ditangguhkan()
    client = session_client(citizen("siti", NIK_IBU))
    body = {"alasan": "Anak kami masih hidup"}

    first = client.post(
        f"{API}{penerima_id}/keberatan/", body, format="json", headers={"Idempotency-Key": "k1"}
    )
    again = client.post(
        f"{API}{penerima_id}/keberatan/", body, format="json", headers={"Idempotency-Key": "k1"}
    )
    lagi = client.post(f"{API}{penerima_id}/keberatan/", body, format="json")

    assert (first.status_code, first.json()) == (201, {"keberatan": "DIAJUKAN"})
    assert (again.status_code, again.json()) == (201, first.json())
    assert (lagi.status_code, lagi.json()["code"]) == (409, "keberatan_terbuka")
    assert jenis_event(penerima_id).count("KeberatanDiajukan") == 1


def test_a_citizen_not_a_member_gets_404_and_an_officer_403():
    penerima_id = ditangguhkan()
    body = {"alasan": "Coba"}
    url = f"{API}{penerima_id}/keberatan/"
    before = jumlah_event()

    bukan = session_client(citizen("rina", NIK_IBU_B)).post(url, body, format="json")
    belum = session_client(citizen("x", NIK_IBU, verified=False)).post(url, body, format="json")
    dinsos = petugas("dinsos-bandung").post(url, body, format="json")

    assert (bukan.status_code, bukan.json()["code"]) == (404, "tidak_ditemukan")
    assert (belum.status_code, belum.json()["code"]) == (403, "nik_belum_terverifikasi")
    assert (dinsos.status_code, dinsos.json()["code"]) == (403, "tidak_berhak")
    assert jumlah_event() == before


def test_an_officer_answers_the_appeal_then_reactivates_the_household():
    penerima_id = ditangguhkan()
    session_client(citizen("siti", NIK_IBU)).post(
        f"{API}{penerima_id}/keberatan/", {"alasan": "Anak kami hidup"}, format="json"
    )
    dinsos = petugas("dinsos-bandung")
    jawaban = {"keputusan": "DITERIMA", "jawaban": "Akta kematian keliru"}

    jatim = petugas("dinsos-surabaya", "35").post(
        f"{API}{penerima_id}/keberatan/jawaban/", jawaban, format="json"
    )
    dijawab = dinsos.post(f"{API}{penerima_id}/keberatan/jawaban/", jawaban, format="json")
    lagi = dinsos.post(f"{API}{penerima_id}/keberatan/jawaban/", jawaban, format="json")
    aktif = dinsos.post(
        f"{API}{penerima_id}/aktifkan-kembali/", {"keterangan": "Keberatan diterima"}, "json"
    )

    assert (jatim.status_code, jatim.json()["code"]) == (403, "luar_wilayah")
    assert (dijawab.status_code, dijawab.json()) == (200, {"keputusan": "DITERIMA"})
    assert (lagi.status_code, lagi.json()["code"]) == (409, "tidak_ada_keberatan")
    assert (aktif.status_code, aktif.json()) == (200, {"status": "AKTIF"})
    assert jenis_event(penerima_id)[-3:] == [
        "KeberatanDiajukan",
        "KeberatanDijawab",
        "PenerimaDiaktifkanKembali",
    ]
    assert keberatan_terbuka(penerima_id) is False
    assert status_dibaca(penerima_id) == ("AKTIF", ["AKTIF"])
    [bantuan] = queries.bantuan_warga(IBU)
    assert (bantuan.status, bantuan.alasan_penangguhan) == ("AKTIF", "")


# --- reactivation, graduation, exit, compliance through the API ---------------------------------
def test_graduation_and_exit_through_the_api_reach_the_read_side():
    lulus = penerima()
    keluar = penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    dinsos = petugas("dinsos-bandung")

    g = dinsos.post(f"{API}{lulus}/graduasi/", {"keterangan": "Usaha mandiri"}, format="json")
    k = dinsos.post(f"{API}{keluar}/keluarkan/", {"alasan": "Pindah ke luar negeri"}, "json")
    lagi = dinsos.post(f"{API}{lulus}/keluarkan/", {"alasan": "x"}, format="json")
    aktif = dinsos.post(f"{API}{lulus}/aktifkan-kembali/", {"keterangan": "x"}, format="json")
    kosong = dinsos.post(f"{API}{keluar}/graduasi/", {}, format="json")

    assert (g.status_code, g.json()) == (200, {"status": "DIGRADUASI"})
    assert (k.status_code, k.json()) == (200, {"status": "DIKELUARKAN"})
    assert (lagi.status_code, lagi.json()["code"]) == (409, "tahap")
    assert (aktif.status_code, aktif.json()["code"]) == (409, "tahap")
    assert kosong.status_code == 400
    assert status_dibaca(lulus) == ("DIGRADUASI", ["DIGRADUASI"])
    assert status_dibaca(keluar) == ("DIKELUARKAN", ["DIKELUARKAN"])
    assert UsulanRingkas.objects.get(penerima_id=keluar).keterangan == "Pindah ke luar negeri"


def test_an_unknown_household_is_404_for_an_officer():
    dinsos = petugas("dinsos-bandung")
    response = dinsos.post(f"{API}{uuid.uuid4()}/graduasi/", {"keterangan": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (404, "tidak_ditemukan")


def test_an_officer_records_compliance_through_the_api():
    """(Integrators with ``bansos:kepatuhan`` once the scope is offered in settings; the
    command accepts them: tests/bansos/test_commands_penerima.py.)"""
    penerima_id = penerima()
    dinsos = petugas("dinsos-bandung")
    lain = integrator_client("lain", "bansos:baca")
    body = {"periode": "2025-TW2", "komponen": "SD", "patuh": True, "sumber": "kunjungan"}

    first = dinsos.post(f"{API}{penerima_id}/kepatuhan/", body, format="json")
    again = dinsos.post(f"{API}{penerima_id}/kepatuhan/", body, format="json")
    ditolak = lain.post(f"{API}{penerima_id}/kepatuhan/", body, format="json")

    assert (first.status_code, first.json()) == (200, {"dicatat": True})
    assert (again.status_code, again.json()) == (200, {"dicatat": False})
    assert (ditolak.status_code, ditolak.json()["code"]) == (403, "bukan_pencatat_kepatuhan")
    assert jenis_event(penerima_id).count("KepatuhanDicatat") == 1


# --- the admin's actions -------------------------------------------------------------------------
def petugas_admin(username: str, kantor: str = "3273") -> Client:
    user = officer(username, GRUP_PETUGAS)
    OfficerProfile.objects.update_or_create(user=user, defaults={"kantor": kantor})
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_answers_an_appeal_and_reactivates():
    penerima_id = ditangguhkan()
    session_client(citizen("siti", NIK_IBU)).post(
        f"{API}{penerima_id}/keberatan/", {"alasan": "Anak kami hidup"}, format="json"
    )
    proyeksikan()
    client = petugas_admin("dinsos-bandung-2")

    with translation.override("id"):
        formulir = client.post(
            ADMIN, {"action": "jawab_keberatan", "_selected_action": [str(penerima_id)]}
        ).content.decode()
        dijawab = aksi(
            client,
            ADMIN,
            "jawab_keberatan",
            penerima_id,
            keputusan="DITERIMA",
            jawaban="Akta kematian keliru",
        )
        aktif = aksi(client, ADMIN, "aktifkan_kembali", penerima_id, keterangan="Dikoreksi")

    assert "Keberatan diterima" in formulir
    assert "Jawaban" in formulir
    assert dijawab == ["1 permohonan diproses."]
    assert aktif == ["1 permohonan diproses."]
    jawaban = [r.event for r in store.load(penerima_id)][-2]
    assert (jawaban.keputusan, jawaban.jawaban, jawaban.dijawab_oleh) == (
        "DITERIMA",
        "Akta kematian keliru",
        "dinsos-bandung-2",
    )
    assert keberatan_terbuka(penerima_id) is False
    assert status_dibaca(penerima_id) == ("AKTIF", ["AKTIF"])


def test_the_admin_graduates_and_exits_and_refuses_a_wrong_stage():
    lulus = penerima()
    keluar = penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B)
    proyeksikan()
    client = petugas_admin("dinsos-bandung-2")

    with translation.override("id"):
        g = aksi(client, ADMIN, "graduasi", lulus, keterangan="Usaha mandiri")
        k = aksi(client, ADMIN, "keluarkan", keluar, alasan="Data ganda")
        before = jumlah_event()
        salah = aksi(client, ADMIN, "aktifkan_kembali", lulus, keterangan="x")

    assert g == k == ["1 permohonan diproses."]
    assert len(salah) == 1
    assert "tidak dapat diaktifkan kembali" in salah[0]
    assert jumlah_event() == before
    assert status_dibaca(lulus) == ("DIGRADUASI", ["DIGRADUASI"])
    assert status_dibaca(keluar) == ("DIKELUARKAN", ["DIKELUARKAN"])


def test_the_admin_action_outside_the_region_does_nothing():
    penerima_id = ditangguhkan()
    client = petugas_admin("dinsos-surabaya", "35")
    before = jumlah_event()
    aksi(client, ADMIN, "aktifkan_kembali", penerima_id, keterangan="x")
    assert jumlah_event() == before
    assert BansosEvent.objects.using("bansos").filter(stream_id=penerima_id).last().event_type == (
        "PenerimaDitangguhkan"
    )


def test_the_father_sees_the_household_after_the_exit():
    penerima_id = penerima()
    petugas("dinsos-bandung").post(f"{API}{penerima_id}/keluarkan/", {"alasan": "x"}, "json")
    proyeksikan()
    assert [(b.penerima_id, b.status) for b in queries.bantuan_warga(AYAH)] == [
        (penerima_id, "DIKELUARKAN")
    ]
