"""bansos's back office through the real admin, as Kemensos officers with their groups and
offices: each action calls its command and the exact event lands on the bansos store;
refusals (four eyes, not eligible, unbalanced reconciliation) are shown and append nothing;
a household's page lists each failed rule with its reason; the reconciliation page adds up to
the rupiah; an officer outside the region neither sees nor acts; the pages read the read
database only."""

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.bansos.domain.penyaluran import instruksi_id, siklus_stream_id
from apps.bansos.domain.rules import (
    MSG_DESIL_BELUM_DIPADANKAN,
    MSG_DESIL_DI_ATAS_BATAS,
    MSG_DIKECUALIKAN,
    MSG_NIK_BELUM_TERVERIFIKASI,
)
from apps.bansos.models import BansosEvent
from apps.bansos.roles import GRUP_PETUGAS
from egov import clock
from egov.portal.accounts import principal_for_user
from egov.portal.models import OfficerProfile
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    KELUARGA_B,
    KK_B,
    NIK_ANAK_SD,
    NIK_IBU,
    NIK_KELUARGA,
    NIK_KELUARGA_B,
    SIKLUS_PADA,
    ajukan,
    buat_instruksi,
    jalankan_policy,
    jenis_event,
    jumlah_event,
    konfigurasi,
    nonaktifkan_nik,
    penerima,
    siklus_disetujui,
    verifikasi,
    verifikasi_ktp,
)
from tests.bansos.test_projections import proyeksikan, siklus_berjalan, usulan_ditolak
from tests.principals import officer

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]

USULAN = "/admin/bansos/usulanringkas/"
SIKLUS = "/admin/bansos/siklusringkas/"


def petugas(username: str, kantor: str = "") -> Client:
    """A Kemensos officer signed in to the admin; ``kantor``: their office's region prefix."""
    user = officer(username, GRUP_PETUGAS)
    OfficerProfile.objects.update_or_create(user=user, defaults={"kantor": kantor})
    client = Client()
    client.force_login(user)
    return client


def aksi(client: Client, url: str, action: str, *ids, **form) -> list[str]:
    """Run an admin action on the selected rows (its form's fields, if any, in ``form``);
    the messages shown afterwards."""
    data = {"action": action, "_selected_action": [str(i) for i in ids]}
    if form:
        data |= {"apply": "1", **form}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def usulan_diajukan(anggota_ktp=NIK_KELUARGA, **kwargs):
    """A household proposed by the village operator (members verified by Dukcapil)."""
    verifikasi_ktp(*anggota_ktp)
    jalankan_policy()
    usulan_id = ajukan(**kwargs)
    proyeksikan()
    return usulan_id


# --- the proposal queue -------------------------------------------------------------------------
def test_the_queue_shows_the_regions_households_in_words_and_filters_them():
    diajukan = usulan_diajukan(NIK_KELUARGA_B, anggota=KELUARGA_B, kk=KK_B)
    ditolak = usulan_ditolak()
    proyeksikan()
    client = petugas("dinsos-bandung-1", "3273")

    semua = client.get(USULAN).content.decode()
    ditolak_saja = client.get(USULAN, {"status__exact": "DITOLAK"}).content.decode()
    tinjau = client.get(USULAN, {"perlu_tinjau": "1", "program__exact": "PKH"}).content.decode()

    assert "Diusulkan, menunggu verifikasi" in semua
    assert "Tidak ditetapkan" in semua
    assert "Program Keluarga Harapan (PKH)" in semua
    assert "Sukarasa" in semua  # the village by name, not its code
    assert "Tidak layak: 3 syarat" in semua
    assert str(diajukan)[:8] in semua
    assert str(ditolak)[:8] in semua
    assert str(ditolak)[:8] in ditolak_saja
    assert str(diajukan)[:8] not in ditolak_saja
    assert str(ditolak)[:8] in tinjau  # the decile is not matched with DTSEN yet


def test_an_officer_outside_the_region_neither_sees_nor_acts_on_a_household():
    usulan_id = usulan_diajukan()
    jatim = petugas("dinsos-surabaya", "35")

    daftar = jatim.get(USULAN).content.decode()
    halaman = jatim.get(f"{USULAN}{usulan_id}/change/")
    before = jumlah_event()
    aksi(jatim, USULAN, "verifikasi", usulan_id)

    assert str(usulan_id)[:8] not in daftar
    assert halaman.status_code == 302  # "does not exist" for them
    assert jumlah_event() == before
    assert jenis_event(usulan_id) == ["UsulanPenerimaDiajukan"]


def test_someone_not_a_kemensos_officer_is_kept_out():
    usulan_id = usulan_diajukan()
    user = officer("petugas-djp", "petugas_djp")
    client = Client()
    client.force_login(user)

    assert client.get(USULAN).status_code == 403
    assert client.get(f"{USULAN}{usulan_id}/change/").status_code == 403
    assert client.get(f"{SIKLUS}dasbor/").status_code == 403


# --- one household's eligibility page -----------------------------------------------------------
def test_the_household_page_lists_each_failed_rule_with_its_reason_and_who_decided():
    usulan_id = usulan_ditolak()
    proyeksikan()
    client = petugas("dinsos-bandung-2", "3273")
    akses = BansosEvent.objects.using("bansos").filter(event_type="DataPribadiDiakses")
    akses_sebelum = akses.count()

    page = client.get(f"{USULAN}{usulan_id}/change/").content.decode()

    for kode, alasan in (
        ("nik_belum_terverifikasi", MSG_NIK_BELUM_TERVERIFIKASI),
        ("dikecualikan", MSG_DIKECUALIKAN),
        ("desil_di_atas_batas", MSG_DESIL_DI_ATAS_BATAS),
        ("desil_belum_dipadankan", MSG_DESIL_BELUM_DIPADANKAN),
    ):
        assert f"<code>{kode}</code>" in page
        assert alasan in page
    assert "Tidak memenuhi 3 syarat pada verifikasi terakhir." in page
    assert "Ayah tercatat sebagai ASN." in page  # the rejection's own words
    assert "operator-desa-braga" in page
    assert "dinsos-bandung-1" in page
    assert "Kota Bandung" in page
    # opening it is recorded for the household (UU PDP "who viewed my data")
    assert akses.count() == akses_sebelum + 1


# --- decisions on households --------------------------------------------------------------------
def test_verify_then_decide_append_the_exact_events():
    usulan_id = usulan_diajukan()
    client = petugas("dinsos-bandung-1", "3273")

    diverifikasi = aksi(client, USULAN, "verifikasi", usulan_id)
    form = client.post(USULAN, {"action": "tetapkan", "_selected_action": [str(usulan_id)]})
    ditetapkan = aksi(
        client, USULAN, "tetapkan", usulan_id, dasar_hukum="SK Dinsos Kota Bandung 7/2025"
    )

    assert any("memenuhi semua syarat kelayakan" in m for m in diverifikasi)
    assert 'name="dasar_hukum"' in form.content.decode()  # the form first, nothing decided
    assert "1 permohonan diproses." in ditetapkan
    assert jenis_event(usulan_id) == [
        "UsulanPenerimaDiajukan",
        "UsulanDiverifikasi",
        "PenerimaDitetapkan",
    ]


def test_the_proposer_may_not_decide_four_eyes():
    pengusul = petugas("operator-desa-braga", "3273")
    akun = User.objects.get(username="operator-desa-braga")
    usulan_id = usulan_diajukan(oleh=principal_for_user(akun))  # proposed by this account
    verifikasi(usulan_id)
    proyeksikan()

    pesan = aksi(pengusul, USULAN, "tetapkan", usulan_id, dasar_hukum="SK 1/2025")

    assert any("Prinsip empat mata" in m for m in pesan)
    assert jenis_event(usulan_id) == ["UsulanPenerimaDiajukan", "UsulanDiverifikasi"]


def test_a_household_not_eligible_is_told_why_and_cannot_be_decided():
    # the children's NIKs are unknown to Dukcapil
    usulan_id = usulan_diajukan(anggota_ktp=(NIK_IBU,))
    client = petugas("dinsos-bandung-1", "3273")

    diverifikasi = aksi(client, USULAN, "verifikasi", usulan_id)
    before = jumlah_event()
    ditetapkan = aksi(client, USULAN, "tetapkan", usulan_id, dasar_hukum="SK 1/2025")

    assert any(
        "tidak memenuhi syarat" in m and MSG_NIK_BELUM_TERVERIFIKASI in m for m in diverifikasi
    )
    assert any("Tidak memenuhi syarat kelayakan: nik_belum_terverifikasi" in m for m in ditetapkan)
    assert jumlah_event() == before


def test_reject_with_a_reason():
    usulan_id = usulan_diajukan()
    client = petugas("dinsos-bandung-1", "3273")

    aksi(client, USULAN, "tolak", usulan_id, alasan="Keluarga pindah ke luar kota.")

    assert jenis_event(usulan_id) == ["UsulanPenerimaDiajukan", "UsulanDitolak"]


def test_suspend_a_recipient_with_a_reason_and_again_changes_nothing():
    penerima_id = penerima()
    proyeksikan()
    client = petugas("dinsos-bandung-2", "3273")
    alasan = {"alasan": "LAINNYA", "keterangan": "Pengurus tidak dapat dihubungi."}

    tanpa_keterangan = aksi(client, USULAN, "tangguhkan", penerima_id, alasan="LAINNYA")
    pertama = aksi(client, USULAN, "tangguhkan", penerima_id, **alasan)
    kedua = aksi(client, USULAN, "tangguhkan", penerima_id, **alasan)

    assert any("keterangan wajib diisi" in m for m in tanpa_keterangan)
    assert any("ditangguhkan." in m for m in pertama)
    assert any("sudah ditangguhkan" in m for m in kedua)
    assert jenis_event(penerima_id)[-2:] == ["PenerimaDitetapkan", "PenerimaDitangguhkan"]


# --- disbursement rounds ------------------------------------------------------------------------
def test_a_round_is_built_submitted_approved_by_another_officer_and_instructed():
    penerima_id = penerima()
    pembuat, penyetuju = petugas("operator-pusat"), petugas("direktur-jamsos")
    siklus_id = siklus_stream_id("PKH", "2025-TW2", 1)

    with clock.frozen(SIKLUS_PADA):
        dibuat = pembuat.post(
            f"{SIKLUS}add/", {"program": "PKH", "periode": "2025-TW2", "tahap": "1"}, follow=True
        )
        proyeksikan()
        aksi(pembuat, SIKLUS, "ajukan", siklus_id)
        proyeksikan()
        sendiri = aksi(pembuat, SIKLUS, "setujui", siklus_id)
        disetujui = aksi(penyetuju, SIKLUS, "setujui", siklus_id)
        proyeksikan()
        halaman = penyetuju.get(f"{SIKLUS}{siklus_id}/change/").content.decode()
        instruksi = aksi(penyetuju, SIKLUS, "buat_instruksi", siklus_id, kanal="BRI")
        tutup = aksi(penyetuju, SIKLUS, "tutup", siklus_id)

    assert "Siklus penyaluran PKH 2025-TW2 tahap 1 dibuat sebagai draf." in dibuat.content.decode()
    assert any("Prinsip empat mata" in m for m in sendiri)
    assert "1 permohonan diproses." in disetujui
    assert "Penerima aktif program ini saat ini: 1 keluarga" in halaman
    assert "PKH 2025-TW2 #1: 1 instruksi pembayaran dibuat, 0 penerima dilewati." in instruksi
    assert (
        "PKH 2025-TW2 #1: Rekonsiliasi tidak seimbang: 1 instruksi belum final, selisih Rp600000."
        in tutup
    )
    assert jenis_event(siklus_id) == [
        "SiklusPenyaluranDibuat",
        "SiklusDiajukan",
        "SiklusDisetujui",
        "InstruksiPembayaranDibuat",
    ]
    assert instruksi_id(siklus_id, penerima_id)  # the one instruction is this household's


def test_the_same_round_twice_is_refused_on_the_add_form():
    siklus_disetujui()
    client = petugas("operator-pusat")

    page = client.post(f"{SIKLUS}add/", {"program": "PKH", "periode": "2025-TW2", "tahap": "1"})

    assert page.status_code == 200  # the form again
    assert "tidak dapat dibuat lagi" in page.content.decode()


def test_the_round_list_shows_totals_and_the_reconciliation_adds_up_to_the_rupiah():
    *_, siklus_id = siklus_berjalan()
    proyeksikan()
    client = petugas("operator-pusat")

    daftar = client.get(SIKLUS).content.decode()
    page = client.get(f"{SIKLUS}{siklus_id}/rekonsiliasi/")
    html = page.content.decode()
    gagal = client.get(f"{SIKLUS}{siklus_id}/rekonsiliasi/", {"status": "GAGAL"})

    assert "Ditutup, rekonsiliasi seimbang" in daftar
    assert "3 · Rp1.050.000" in daftar
    assert "1 · Rp600.000" in daftar
    r = page.context["r"]
    assert r["instruksi"] == {"jumlah": 3, "rupiah": 1_050_000}
    assert [(x["status"], x["jumlah"], x["rupiah"]) for x in r["final"]] == [
        ("TERSALUR", 1, 600_000),
        ("DIKEMBALIKAN", 1, 225_000),
        ("GAGAL", 1, 225_000),
        ("DIBATALKAN", 0, 0),
    ]
    assert [x["rupiah"] for x in r["belum_final"]] == [0, 0, 0]
    assert r["selisih"] == 0
    assert "Rp1.050.000" in html
    assert "Seimbang: siklus dapat ditutup." in html
    assert html.count('class="instruksi"') == 3
    assert gagal.content.decode().count('class="instruksi"') == 1
    assert "Rekening ditutup" in gagal.content.decode()


def test_an_open_round_shows_what_is_still_pending():
    penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    proyeksikan()

    page = petugas("operator-pusat").get(f"{SIKLUS}{siklus_id}/rekonsiliasi/")

    r = page.context["r"]
    assert (r["belum_final"][0]["status"], r["belum_final"][0]["rupiah"]) == ("DIBUAT", 600_000)
    assert r["selisih"] == 0  # every rupiah instructed is somewhere
    assert "Belum dapat ditutup: 1 instruksi belum final, selisih hasil final Rp600.000." in (
        page.content.decode()
    )


def test_the_reconciliation_lists_only_the_instructions_of_the_officers_region():
    *_, siklus_id = siklus_berjalan()
    proyeksikan()

    bandung = petugas("dinsos-bandung-1", "3273").get(f"{SIKLUS}{siklus_id}/rekonsiliasi/")

    assert bandung.content.decode().count('class="instruksi"') == 2
    assert bandung.context["r"]["instruksi"]["rupiah"] == 1_050_000  # the round stays national


# --- the dashboard ------------------------------------------------------------------------------
def test_the_dashboard_per_programme_and_province_with_charts():
    siklus_berjalan()
    proyeksikan()
    client = petugas("operator-pusat")

    page = client.get(f"{SIKLUS}dasbor/").content.decode()
    jatim = client.get(f"{SIKLUS}dasbor/", {"kode_provinsi": "35"}).content.decode()
    app = client.get("/admin/bansos/").content.decode()

    assert page.count('<figure class="egov-bar-chart bansos-grafik">') == 2
    assert "<script" not in page.split('<figure class="egov-bar-chart bansos-grafik">')[1]
    assert "Jawa Barat" in page
    assert "Jawa Timur" in page
    assert "Rp600.000" in page
    assert "Rp1.050.000" in page
    assert "Jawa Barat" not in jatim.split('id="tabel-dasbor"')[1]
    assert f"{SIKLUS}dasbor/" in app


# --- the read side only -------------------------------------------------------------------------
def test_the_pages_read_the_read_database_never_the_write_tables():
    *_, siklus_id = siklus_berjalan()
    proyeksikan()
    client = petugas("operator-pusat")

    with CaptureQueriesContext(connections["bansos"]) as write_side:
        pages = [
            client.get(USULAN),
            client.get(USULAN, {"status__exact": "AKTIF", "perlu_tinjau": "1"}),
            client.get(SIKLUS),
            client.get(f"{SIKLUS}{siklus_id}/change/"),
            client.get(f"{SIKLUS}{siklus_id}/rekonsiliasi/"),
            client.get(f"{SIKLUS}dasbor/"),
        ]

    assert [p.status_code for p in pages] == [200] * 6
    assert list(write_side) == []


def test_a_death_reported_suspends_and_the_page_says_why():
    penerima_id = penerima()
    nonaktifkan_nik(NIK_ANAK_SD, "MENINGGAL")
    jalankan_policy()
    proyeksikan()

    page = petugas("dinsos-bandung-1", "3273").get(USULAN).content.decode()

    assert str(penerima_id)[:8] in page
    assert "Ditangguhkan (Anggota keluarga tercatat meninggal dunia di Dukcapil)" in page
