"""Registration commands on pajak's aliases: individuals (NIK as NPWP, only once Dukcapil
verified it, only by the citizen whose NIK it is), companies, branches and PKP. Every refusal
has its code and appends nothing."""

from datetime import date

import pytest

from apps.pajak import commands
from apps.pajak.domain.events import PKPDikukuhkan, TKUDidaftarkan, WajibPajakTerdaftar
from apps.pajak.domain.wajib_pajak import wajib_pajak_stream_id
from apps.pajak.models import IndeksWajibPajak
from egov import clock
from egov.eventstore.domain import DomainError
from egov.eventstore.pseudonym import keyed_hash
from egov.principals import AccessDenied, NotVisible
from tests.pajak.perintah import (  # noqa: F401 - konfigurasi: a fixture
    BANK,
    NIK,
    NIK_LAIN,
    NITKU_CABANG,
    NPWP_BADAN,
    OSS,
    PETUGAS,
    PETUGAS_JATIM,
    WARGA,
    WARGA_BELUM,
    WARGA_LAIN,
    aktifkan,
    daftar_badan,
    event_terakhir,
    jalankan_policy,
    jenis_event,
    konfigurasi,
    meta,
    nonaktifkan_nik,
    refused,
    verifikasi_ktp,
    wib,
)

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
SENIN = wib(2025, 6, 2, 9, 0)


def aktifkan_npwp(**overrides):
    values = {"principal": WARGA, "nik": NIK, "nama": "Siti Aminah", "metadata": meta()}
    return commands.pajak_aktifkan_npwp(**{**values, **overrides})


# --- individuals ------------------------------------------------------------------------------
def test_a_citizen_whose_nik_dukcapil_verified_activates_it_as_npwp():
    wp_id = aktifkan(pada=SENIN)

    assert wp_id == wajib_pajak_stream_id(keyed_hash(NIK))
    assert event_terakhir(wp_id) == WajibPajakTerdaftar(
        subjek_id=keyed_hash(NIK),
        jenis="OP",
        npwp=NIK,
        nama="Siti Aminah",
        kode_wilayah="3273",
        terdaftar_pada=SENIN,
    )
    row = IndeksWajibPajak.objects.get()
    assert (row.wajib_pajak_id, row.subjek_id, row.jenis, row.kode_wilayah) == (
        wp_id,
        keyed_hash(NIK),
        "OP",
        "3273",
    )
    assert (row.terdaftar_pada, row.pkp, row.peninjauan) == (date(2025, 6, 2), False, False)


def test_the_npwp_stays_encrypted_at_rest():
    wp_id = aktifkan()
    from apps.pajak.models import PajakEvent

    stored = PajakEvent.objects.get(stream_id=wp_id).payload
    assert NIK not in str(stored)
    assert "Siti" not in str(stored)


def test_refused_while_dukcapil_has_not_verified_the_nik():
    refused(DomainError, "nik_belum_terverifikasi", aktifkan_npwp)
    verifikasi_ktp(NIK_LAIN)  # another NIK verified changes nothing for this one
    jalankan_policy()
    refused(DomainError, "nik_belum_terverifikasi", aktifkan_npwp)
    assert IndeksWajibPajak.objects.count() == 0


def test_the_nik_typed_must_be_the_one_the_account_was_verified_for():
    verifikasi_ktp(NIK_LAIN)
    jalankan_policy()
    error = refused(AccessDenied, "bukan_nik_anda", aktifkan_npwp, nik=NIK_LAIN)
    assert error.message == "NIK ini bukan NIK yang terverifikasi pada akun Anda."
    refused(AccessDenied, "nik_belum_terverifikasi", aktifkan_npwp, principal=WARGA_BELUM)
    refused(AccessDenied, "tidak_berhak", aktifkan_npwp, principal=PETUGAS)
    refused(AccessDenied, "tidak_berhak", aktifkan_npwp, principal=BANK)


def test_refused_for_an_invalid_nik_a_deactivated_nik_or_a_second_time():
    refused(DomainError, "nik_tidak_valid", aktifkan_npwp, nik="3273015708850000")
    nonaktifkan_nik(NIK_LAIN)
    jalankan_policy()
    verifikasi_ktp(NIK)
    jalankan_policy()
    aktifkan_npwp()
    refused(DomainError, "sudah_terdaftar", aktifkan_npwp)
    refused(DomainError, "nik_nonaktif", aktifkan_npwp, principal=WARGA_LAIN, nik=NIK_LAIN)


def test_the_name_is_required():
    verifikasi_ktp(NIK)
    jalankan_policy()
    refused(DomainError, "nama_wajib", aktifkan_npwp, nama="  ")


# --- companies and branches -------------------------------------------------------------------
def daftar(**overrides):
    values = {
        "principal": PETUGAS,
        "npwp": NPWP_BADAN,
        "nama": "PT Maju Jaya",
        "kode_wilayah": "3273",
        "metadata": meta(),
    }
    return commands.pajak_daftar_badan(**{**values, **overrides})


def test_an_officer_registers_a_company_of_their_office():
    with clock.frozen(SENIN):
        wp_id = daftar(npwp="01.312.166.0-091.000")  # the old 15-digit form is converted
    subjek = commands.subjek_badan(NPWP_BADAN)
    assert wp_id == wajib_pajak_stream_id(subjek)
    assert event_terakhir(wp_id) == WajibPajakTerdaftar(
        subjek_id=subjek,
        jenis="BADAN",
        npwp=NPWP_BADAN,
        nama="PT Maju Jaya",
        kode_wilayah="3273",
        terdaftar_pada=SENIN,
    )
    assert IndeksWajibPajak.objects.values_list("jenis", "kode_wilayah").get() == ("BADAN", "3273")


def test_a_registration_system_with_scope_registers_companies_anywhere():
    wp_id = daftar(principal=OSS, kode_wilayah="3578")
    assert jenis_event(wp_id) == ["WajibPajakTerdaftar"]


def test_company_registration_refusals_write_nothing():
    refused(AccessDenied, "luar_wilayah", daftar, principal=PETUGAS_JATIM)
    refused(AccessDenied, "bukan_petugas", daftar, principal=WARGA)
    refused(AccessDenied, "bukan_petugas", daftar, principal=BANK)
    refused(DomainError, "npwp_check_digit", daftar, npwp="01.312.166.1-091.000")
    refused(DomainError, "npwp_badan_tanpa_nol", daftar, npwp="1013121660091000")
    refused(DomainError, "kode_wilayah_tidak_sah", daftar, kode_wilayah="32")
    daftar()
    refused(DomainError, "sudah_terdaftar", daftar)


def test_a_branch_gets_its_nitku():
    wp_id = daftar_badan()
    with clock.frozen(SENIN):
        nitku = commands.pajak_daftar_tku(
            principal=PETUGAS,
            wajib_pajak_id=wp_id,
            nitku=NITKU_CABANG,
            nama_tku="Cabang Cimahi",
            metadata=meta(),
        )
    assert nitku == NITKU_CABANG
    assert event_terakhir(wp_id) == TKUDidaftarkan(
        subjek_id=commands.subjek_badan(NPWP_BADAN),
        nitku=NITKU_CABANG,
        kode_tku="000001",
        nama_tku="Cabang Cimahi",
        didaftarkan_pada=SENIN,
    )


def test_branch_refusals_write_nothing():
    wp_id = daftar_badan()

    def tku(**overrides):
        values = {
            "principal": PETUGAS,
            "wajib_pajak_id": wp_id,
            "nitku": NITKU_CABANG,
            "nama_tku": "Cabang",
            "metadata": meta(),
        }
        return commands.pajak_daftar_tku(**{**values, **overrides})

    refused(DomainError, "nitku_bukan_milik", tku, nitku="0023456783012000000001")
    refused(DomainError, "nitku_pusat", tku, nitku=NPWP_BADAN + "000000")
    refused(DomainError, "nitku_format", tku, nitku="123")
    refused(AccessDenied, "luar_wilayah", tku, principal=PETUGAS_JATIM)
    refused(AccessDenied, "bukan_petugas", tku, principal=WARGA)
    refused(NotVisible, "tidak_ditemukan", tku, wajib_pajak_id=wajib_pajak_stream_id("x"))
    tku()
    refused(DomainError, "nitku_sudah_ada", tku)


# --- PKP ----------------------------------------------------------------------------------------
def test_an_officer_confirms_a_company_as_pkp():
    wp_id = daftar_badan()
    with clock.frozen(wib(2025, 7, 1, 10, 0)):
        commands.pajak_kukuhkan_pkp(principal=PETUGAS, wajib_pajak_id=wp_id, metadata=meta())
    assert event_terakhir(wp_id) == PKPDikukuhkan(
        subjek_id=commands.subjek_badan(NPWP_BADAN),
        tanggal_pengukuhan=date(2025, 7, 1),
        petugas="petugas-jabar",
        dikukuhkan_pada=wib(2025, 7, 1, 10, 0),
    )
    row = IndeksWajibPajak.objects.get(wajib_pajak_id=wp_id)
    assert (row.pkp, row.tanggal_pkp) == (True, date(2025, 7, 1))


def test_pkp_refusals_write_nothing():
    wp_id = daftar_badan()

    def kukuhkan(**overrides):
        values = {"principal": PETUGAS, "wajib_pajak_id": wp_id, "metadata": meta()}
        return commands.pajak_kukuhkan_pkp(**{**values, **overrides})

    refused(AccessDenied, "luar_wilayah", kukuhkan, principal=PETUGAS_JATIM)
    refused(AccessDenied, "bukan_petugas", kukuhkan, principal=WARGA)
    refused(AccessDenied, "bukan_petugas", kukuhkan, principal=OSS)
    refused(NotVisible, "tidak_ditemukan", kukuhkan, wajib_pajak_id=wajib_pajak_stream_id("x"))
    kukuhkan(tanggal_pengukuhan=date(2025, 6, 15))
    refused(DomainError, "sudah_pkp", kukuhkan)
    assert IndeksWajibPajak.objects.get().tanggal_pkp == date(2025, 6, 15)
