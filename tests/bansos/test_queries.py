"""bansos's queries on its read tables after the real commands and the projector: the
officers' queue and eligibility page within their region, a round and its reconciliation,
the dashboard, and the citizen's "Bantuan saya"; who may read what."""

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from apps.bansos import commands, queries
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.domain.rules import (
    MSG_DESIL_BELUM_DIPADANKAN,
    MSG_DESIL_DI_ATAS_BATAS,
    MSG_DIKECUALIKAN,
    MSG_NIK_BELUM_TERVERIFIKASI,
    SD,
)
from egov import clock
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import AccessDenied, NotVisible
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    ANAK_SMP,
    AYAH,
    BANK,
    DIAJUKAN_PADA,
    DINSOS,
    DINSOS_JATIM,
    DITETAPKAN_PADA,
    IBU,
    INTEGRATOR_LAIN,
    KODE_DESA,
    NIK_ANAK_SD,
    NIK_IBU,
    OPERATOR_DESA,
    PUSAT,
    SK,
    WARGA,
    buat_instruksi,
    jalankan_policy,
    konfigurasi,
    meta,
    nonaktifkan_nik,
    penerima,
    siklus_disetujui,
    verifikasi,
    verifikasi_ktp,
)
from tests.bansos.test_projections import IBU_J, proyeksikan, siklus_berjalan, usulan_ditolak
from tests.principals import citizen

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]


# A fourth household in Bandung: the mother is verified, her son is unknown to Dukcapil and the
# proposal's decile is above PKH's threshold.
NIK_IBU_D, NIK_ANAK_D = "3273015212880009", "3273011010140010"
IBU_D, ANAK_D = keyed_hash(NIK_IBU_D), keyed_hash(NIK_ANAK_D)
KK_D = keyed_hash("3273010303220004", purpose="kk")


def usulan_ditolak_d():
    verifikasi_ktp(NIK_IBU_D)
    jalankan_policy()
    with clock.frozen(DIAJUKAN_PADA):
        usulan_id = commands.bansos_ajukan_usulan(
            principal=OPERATOR_DESA,
            program="PKH",
            periode="2025-TW1",
            nomor_kk_hash=KK_D,
            pengurus_nik_hash=IBU_D,
            anggota=(Anggota(IBU_D), Anggota(ANAK_D, SD)),
            desil=9,
            kode_wilayah=KODE_DESA,
            metadata=meta(OPERATOR_DESA),
        )
    verifikasi(usulan_id)
    with clock.frozen(DITETAPKAN_PADA):
        commands.bansos_tolak_usulan(
            principal=DINSOS,
            usulan_id=usulan_id,
            alasan="Desil di atas batas.",
            metadata=meta(DINSOS),
        )
    return usulan_id


@pytest.fixture
def dunia():
    """Households A, B (Bandung) and J (Surabaya) paid in one round of 2025-TW2, and D's
    proposal (Bandung) rejected; all projected."""
    a, b, j, siklus_id = siklus_berjalan()
    ditolak = usulan_ditolak_d()
    proyeksikan()
    return {"a": a, "b": b, "j": j, "siklus": siklus_id, "ditolak": ditolak}


# --- the officers' queue ------------------------------------------------------------------------
def test_the_queue_holds_the_households_of_the_officers_region(dunia):
    ids = {u.penerima_id for u in queries.antrean_usulan(DINSOS)}
    assert ids == {dunia["a"], dunia["b"], dunia["ditolak"]}
    assert [u.penerima_id for u in queries.antrean_usulan(DINSOS_JATIM)] == [dunia["j"]]
    assert {u.penerima_id for u in queries.antrean_usulan(PUSAT)} == {*ids, dunia["j"]}


def test_the_queue_filters_by_status_region_and_review_flag(dunia):
    [ditolak] = queries.antrean_usulan(PUSAT, status="DITOLAK")
    assert (ditolak.penerima_id, ditolak.nama_status) == (dunia["ditolak"], "Tidak ditetapkan")
    assert ditolak.kode_gagal == ("nik_belum_terverifikasi", "desil_di_atas_batas")
    assert [u.penerima_id for u in queries.antrean_usulan(PUSAT, kode_wilayah="35")] == [dunia["j"]]
    assert {u.penerima_id for u in queries.antrean_usulan(PUSAT, perlu_tinjau=True)} == {
        dunia["a"],
        dunia["b"],
        dunia["j"],
        dunia["ditolak"],
    }  # every decile is still the proposal's: DTSEN is not fed yet
    assert queries.antrean_usulan(PUSAT, keberatan_terbuka=True) == []
    assert queries.jumlah_per_status(DINSOS) == {
        "DIAJUKAN": 0,
        "DIVERIFIKASI": 0,
        "DITOLAK": 1,
        "AKTIF": 2,
        "DITANGGUHKAN": 0,
        "DIGRADUASI": 0,
        "DIKELUARKAN": 0,
    }


@pytest.mark.parametrize("principal", [WARGA, BANK, INTEGRATOR_LAIN])
def test_only_officers_read_the_queue(dunia, principal):
    with pytest.raises(AccessDenied) as refused:
        queries.antrean_usulan(principal)
    assert refused.value.code == "bukan_petugas"


# --- one household's eligibility ----------------------------------------------------------------
def test_the_eligibility_page_lists_every_failed_rule_with_its_reason(dunia):
    hasil = queries.hasil_kelayakan(DINSOS, dunia["ditolak"])

    assert [(t.kode, t.alasan, t.anggota) for t in hasil.gagal] == [
        ("nik_belum_terverifikasi", MSG_NIK_BELUM_TERVERIFIKASI, (ANAK_D,)),
        ("desil_di_atas_batas", MSG_DESIL_DI_ATAS_BATAS, ()),
    ]
    assert [(t.kode, t.alasan) for t in hasil.tinjau] == [
        ("desil_belum_dipadankan", MSG_DESIL_BELUM_DIPADANKAN)
    ]
    assert (hasil.desil, hasil.usulan.layak, hasil.usulan.status) == (9, False, "DITOLAK")
    assert hasil.usulan.keterangan == "Desil di atas batas."
    assert (hasil.usulan.diputuskan_oleh, hasil.usulan.diputuskan_pada) == (
        "dinsos-bandung-1",
        DITETAPKAN_PADA,
    )


def test_an_excluded_member_is_named_on_the_eligibility_page():
    usulan_id = usulan_ditolak()
    proyeksikan()

    gagal = queries.hasil_kelayakan(PUSAT, usulan_id).gagal

    assert ("dikecualikan", MSG_DIKECUALIKAN, (AYAH,)) in [
        (t.kode, t.alasan, t.anggota) for t in gagal
    ]


def test_a_decided_household_shows_its_components_and_decree(dunia):
    hasil = queries.hasil_kelayakan(DINSOS, dunia["a"])

    assert (hasil.komponen, hasil.dasar_hukum, hasil.gagal) == (("SD", "SMP"), SK, ())
    assert (hasil.usulan.tahap_diterima, hasil.usulan.rupiah_diterima) == (1, 600_000)


def test_a_household_of_another_region_or_unknown_is_refused(dunia):
    with pytest.raises(AccessDenied) as refused:
        queries.hasil_kelayakan(DINSOS_JATIM, dunia["a"])
    assert refused.value.code == "luar_wilayah"
    with pytest.raises(NotVisible):
        queries.hasil_kelayakan(DINSOS, dunia["siklus"])
    with pytest.raises(AccessDenied):
        queries.hasil_kelayakan(WARGA, dunia["a"])


# --- rounds -------------------------------------------------------------------------------------
def test_a_closed_round_reconciles_to_the_rupiah(dunia):
    siklus = queries.siklus(PUSAT, dunia["siklus"])

    assert (siklus.status, siklus.dibuat_oleh, siklus.disetujui_oleh) == (
        "DITUTUP",
        "operator-pusat",
        "direktur-jamsos",
    )
    assert siklus.jumlah == {
        "DIBUAT": 0,
        "TERSALUR": 1,
        "GAGAL": 1,
        "TIDAK_DIAMBIL": 0,
        "DIALIHKAN_KE_POS": 0,
        "DIKEMBALIKAN": 1,
        "DIBATALKAN": 0,
    }
    r = siklus.rekonsiliasi
    assert (r.jumlah_instruksi, r.diinstruksikan, r.disalurkan, r.dikembalikan, r.gagal) == (
        3,
        1_050_000,
        600_000,
        225_000,
        225_000,
    )
    assert (r.dibatalkan, r.belum_final, r.selisih, r.seimbang) == (0, 0, 0, True)
    assert [s.siklus_id for s in queries.daftar_siklus(DINSOS, program="PKH")] == [dunia["siklus"]]


def test_an_open_round_shows_what_is_still_pending():
    a = penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    proyeksikan()

    r = queries.siklus(PUSAT, siklus_id).rekonsiliasi

    assert (r.belum_final, r.selisih, r.seimbang) == (1, 600_000, False)
    assert queries.rekonsiliasi(PUSAT, siklus_id).instruksi[0].instruksi_id == instruksi_id(
        siklus_id, a
    )


def test_the_reconciliation_lists_the_instructions_of_the_officers_region(dunia):
    semua = queries.rekonsiliasi(PUSAT, dunia["siklus"])
    bandung = queries.rekonsiliasi(DINSOS, dunia["siklus"])
    gagal = queries.rekonsiliasi(PUSAT, dunia["siklus"], status="GAGAL")

    assert [(i.penerima_id, i.status, i.nominal) for i in semua.instruksi] == sorted(
        [
            (dunia["a"], "TERSALUR", 600_000),
            (dunia["b"], "DIKEMBALIKAN", 225_000),
            (dunia["j"], "GAGAL", 225_000),
        ],
        key=lambda t: (t[1], t[0]),
    )
    assert {i.penerima_id for i in bandung.instruksi} == {dunia["a"], dunia["b"]}
    assert bandung.siklus == semua.siklus  # the round's totals stay national
    [j] = gagal.instruksi
    assert (j.penerima_id, j.alasan, j.kode_provinsi) == (dunia["j"], "Rekening ditutup", "35")


# --- the dashboard ------------------------------------------------------------------------------
def test_the_dashboard_per_programme_and_province(dunia):
    rows = queries.dasbor(INTEGRATOR_LAIN)

    assert [
        (
            r.program,
            r.kode_provinsi,
            r.aktif,
            r.ditangguhkan,
            r.rupiah_instruksi,
            r.rupiah_disalurkan,
            r.rupiah_dikembalikan,
        )
        for r in rows
    ] == [
        ("PKH", "32", 2, 0, 825_000, 600_000, 225_000),
        ("PKH", "35", 1, 0, 225_000, 0, 0),
        ("PKH", "", 3, 0, 1_050_000, 600_000, 225_000),
    ]
    assert rows[0].nama_provinsi == "Jawa Barat"


def test_the_dashboard_after_a_suspension_and_for_another_period(dunia):
    nonaktifkan_nik(NIK_ANAK_SD, "MENINGGAL")
    jalankan_policy()
    proyeksikan()

    [jabar] = queries.dasbor(PUSAT, kode_provinsi="32")[:1]
    lain = queries.dasbor(PUSAT, periode="2025-TW3")

    assert (jabar.aktif, jabar.ditangguhkan, jabar.rupiah_disalurkan) == (1, 1, 600_000)
    assert [(r.kode_provinsi, r.aktif, r.rupiah_disalurkan) for r in lain] == [
        ("32", 1, 0),
        ("35", 1, 0),
        ("", 2, 0),
    ]


def test_a_citizen_may_not_read_the_dashboard():
    with pytest.raises(AccessDenied) as refused:
        queries.dasbor(WARGA)
    assert refused.value.code == "bukan_pembaca"


# --- "Bantuan saya" -----------------------------------------------------------------------------
def test_the_citizen_sees_their_households_with_tranches_received(dunia):
    [bantuan] = queries.bantuan_warga(WARGA.subject_id)

    assert (bantuan.penerima_id, bantuan.program, bantuan.periode, bantuan.status) == (
        dunia["a"],
        "PKH",
        "2025-TW1",
        "AKTIF",
    )
    assert (bantuan.tahap_diterima, bantuan.rupiah_diterima) == (1, 600_000)
    assert (bantuan.nama_program, bantuan.nama_status) == (
        "Program Keluarga Harapan (PKH)",
        "Penerima aktif",
    )
    assert queries.bantuan_warga(IBU_J)[0].penerima_id == dunia["j"]
    assert queries.bantuan_warga("") == []


def test_a_suspended_household_shows_the_reason_in_the_portal_section(dunia):
    nonaktifkan_nik(NIK_ANAK_SD, "MENINGGAL")
    jalankan_policy()
    proyeksikan()

    items = queries.bagian_portal(IBU)
    with translation.override("id"):
        html = render_to_string("bansos/_bagian_portal.html", {"items": items})

    [item] = items
    assert (item["bantuan"].status, item["bantuan"].alasan_penangguhan) == (
        "DITANGGUHKAN",
        "MENINGGAL",
    )
    assert "Ditangguhkan" in html
    assert "Anggota keluarga tercatat meninggal dunia di Dukcapil" in html
    assert "Rp600.000" in html
    assert 'data-label="Tahap diterima"' in html


def test_the_portal_section_without_aid_says_so():
    with translation.override("id"):
        html = render_to_string("bansos/_bagian_portal.html", {"items": []})

    assert "Anda belum tercatat dalam usulan atau program bantuan sosial." in html


def test_queries_read_only_the_read_alias(dunia):
    with CaptureQueriesContext(connections["bansos"]) as write_side:
        queries.antrean_usulan(PUSAT)
        queries.jumlah_per_status(PUSAT)
        queries.hasil_kelayakan(PUSAT, dunia["a"])
        queries.daftar_siklus(PUSAT)
        queries.rekonsiliasi(PUSAT, dunia["siklus"])
        queries.dasbor(PUSAT)
        queries.bagian_portal(IBU)

    assert list(write_side) == []


def test_the_citizens_home_page_shows_bantuan_saya(dunia):
    citizen("siti", NIK_IBU)
    citizen("dewi", NIK_IBU_D)
    citizen("tanpa", "3273016808990011")

    def home(username: str) -> str:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
        assert response.status_code == 200
        return response.content.decode()

    siti, dewi, tanpa = home("siti"), home("dewi"), home("tanpa")

    assert "Program Keluarga Harapan (PKH)" in siti
    assert "Penerima aktif" in siti
    assert "Rp600.000" in siti
    assert "Tidak ditetapkan" in dewi
    assert "Rp0" in dewi
    assert "Anda belum tercatat dalam usulan atau program bantuan sosial." in tanpa
