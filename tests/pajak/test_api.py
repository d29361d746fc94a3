"""pajak's API through HTTP: companies registered by officers of their office and by
registration systems, citizens activating their own NIK as NPWP, billing codes (201 with the
code), bank payments (idempotent on the NTPN, refusals with their codes, nothing written),
simple returns, one taxpayer's records (own, officer of the office, anyone else 404) and the
access log. No NIK or NPWP in any URL."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from apps.pajak import api_urls, commands, urls
from apps.pajak.domain.kewajiban import kewajiban_stream_id
from apps.pajak.domain.kode_billing import kode_billing_stream_id
from apps.pajak.domain.rules import WIB
from apps.pajak.models import PajakEvent
from egov import clock
from egov.eventstore.pseudonym import keyed_hash
from tests.pajak.pintu import (
    META,
    NIK,
    NIK_LAIN,
    NPWP_BADAN,
    dukcapil_memverifikasi,
    event_types,
    konfigurasi,  # noqa: F401 - a fixture
    petugas_djp,
    proyeksikan,
    warga_terdaftar,
)
from tests.principals import citizen, integrator_client, principal, session_client
from tests.support import committed

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]

API = "/api/v1/pajak/"
DIBUAT = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)  # a billing code is issued
DIBAYAR = datetime(2026, 11, 26, 11, 0, tzinfo=WIB)  # and paid the next day
NTPN = "0A1B2C3D4E5F6G7H"


@pytest.fixture
def siti() -> uuid.UUID:
    return warga_terdaftar("siti", NIK)


@pytest.fixture
def budi() -> uuid.UUID:
    return warga_terdaftar("budi", NIK_LAIN)


def client_of(username: str) -> APIClient:
    from django.contrib.auth.models import User

    return session_client(User.objects.get(username=username))


@pytest.fixture
def bank() -> APIClient:
    return integrator_client("bank-uji", "pajak:pembayaran")


def buat_kode(nominal: int = 1_250_000, *, pada: datetime = DIBUAT) -> dict:
    with clock.frozen(pada), committed("pajak"):
        response = client_of("siti").post(
            f"{API}kode-billing/",
            {"jenis_pajak": "PPH_OP", "masa": "2025", "nominal": nominal},
            format="json",
        )
    assert response.status_code == 201, response.content
    return response.json()


def lapor_bayar(client: APIClient, kode: str, **overrides):
    body = {
        "kode_billing": kode,
        "ntpn": NTPN,
        "ntb": "NTB-000123",
        "tanggal_bayar": DIBAYAR.isoformat(),
        "nominal": 1_250_000,
        **overrides,
    }
    with clock.frozen(DIBAYAR), committed("pajak"):
        return client.post(f"{API}pembayaran/", body, format="json")


def refusal(response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.content


# --- registering ---------------------------------------------------------------------------
def test_an_officer_of_the_seat_registers_a_company():
    client = session_client(petugas_djp("djp-jabar", "32"))

    with clock.frozen(DIBUAT):
        response = client.post(
            f"{API}wajib-pajak/",
            {"npwp": "01.312.166.0-091.000", "nama": "PT Maju Jaya", "kode_wilayah": "3273"},
            format="json",
        )

    assert response.status_code == 201
    wp_id = uuid.UUID(response.json()["wajib_pajak_id"])
    assert response.json() == {"wajib_pajak_id": str(wp_id), "jenis_wp": "BADAN"}
    assert event_types(stream_id=wp_id) == ["WajibPajakTerdaftar"]


def test_a_registration_system_with_pajak_daftar_registers_a_company():
    response = integrator_client("oss", "pajak:daftar").post(
        f"{API}wajib-pajak/",
        {"npwp": NPWP_BADAN, "nama": "PT Maju Jaya", "kode_wilayah": "3273"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["jenis_wp"] == "BADAN"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("jatim", 403, "luar_wilayah"), ("citizen", 403, "bukan_petugas")],
)
def test_others_may_not_register_a_company(who, status, code):
    user = petugas_djp("djp-jatim", "35") if who == "jatim" else citizen("warga", NIK)
    body = {"npwp": NPWP_BADAN, "nama": "PT Maju Jaya", "kode_wilayah": "3273"}

    response = session_client(user).post(f"{API}wajib-pajak/", body, format="json")

    refusal(response, status, code)
    assert event_types() == []


def test_an_unknown_region_is_bad_input():
    client = session_client(petugas_djp("djp-pusat", ""))
    body = {"npwp": NPWP_BADAN, "nama": "PT Maju Jaya", "kode_wilayah": "9999"}

    response = client.post(f"{API}wajib-pajak/", body, format="json")

    assert response.status_code == 400
    assert "kode_wilayah" in response.json()
    assert event_types() == []


def test_a_verified_citizen_activates_their_nik_as_npwp():
    client = session_client(citizen("siti", NIK))
    dukcapil_memverifikasi(NIK)

    response = client.post(
        f"{API}wajib-pajak/aktivasi/", {"nik": NIK, "nama": "Siti Aminah"}, format="json"
    )

    assert response.status_code == 201
    wp_id = uuid.UUID(response.json()["wajib_pajak_id"])
    assert response.json() == {"wajib_pajak_id": str(wp_id), "jenis_wp": "OP"}
    assert event_types(stream_id=wp_id) == ["WajibPajakTerdaftar"]


@pytest.mark.parametrize(
    ("account_verified", "nik", "code"),
    [(True, NIK_LAIN, "bukan_nik_anda"), (False, NIK, "nik_belum_terverifikasi")],
)
def test_a_citizen_activates_only_their_own_verified_nik(account_verified, nik, code):
    client = session_client(citizen("siti", NIK, verified=account_verified))
    dukcapil_memverifikasi(NIK)
    dukcapil_memverifikasi(NIK_LAIN)

    response = client.post(f"{API}wajib-pajak/aktivasi/", {"nik": nik, "nama": "X"}, format="json")

    refusal(response, 403, code)
    assert event_types(event_type="WajibPajakTerdaftar") == []


# --- one taxpayer's record -----------------------------------------------------------------
def test_a_taxpayer_reads_their_own_record_and_nothing_is_logged(siti):
    response = client_of("siti").get(f"{API}wajib-pajak/{siti}/")

    assert response.status_code == 200
    assert response.json() == {
        "wajib_pajak_id": str(siti),
        "jenis_wp": "OP",
        "npwp_tersamar": "3273**********01",
        "kode_wilayah": "3273",
        "terdaftar_pada": "2026-11-02T09:00:00+07:00",
        "pkp": False,
        "tanggal_pkp": None,
        "peninjauan": False,
    }
    assert NIK not in response.content.decode()
    assert client_of("siti").get(f"{API}wajib-pajak/saya/").json() == response.json()
    assert event_types(event_type="DataPribadiDiakses") == []


def test_an_officer_of_the_office_reads_it_and_the_read_is_logged(siti):
    client = session_client(petugas_djp("djp-jabar", "32"))

    response = client.get(f"{API}wajib-pajak/{siti}/")

    assert response.status_code == 200
    [akses] = PajakEvent.objects.using("pajak").filter(event_type="DataPribadiDiakses")
    assert akses.payload == {
        "subject_id": keyed_hash(NIK),
        "pintu": "api",
        "tujuan": "pajak_api:wp",
        "pengakses": "djp-jabar",
    }


@pytest.mark.parametrize(
    ("reader", "status", "code"),
    [
        ("budi", 404, "tidak_ditemukan"),
        ("djp-jatim", 403, "luar_wilayah"),
        ("bank", 404, "tidak_ditemukan"),
        ("bps", 404, "tidak_ditemukan"),
    ],
)
@pytest.mark.parametrize("path", ["", "kewajiban/", "kode-billing/", "pembayaran/"])
def test_nobody_else_reads_a_taxpayers_records(siti, budi, bank, reader, status, code, path):
    clients = {
        "budi": lambda: client_of("budi"),
        "djp-jatim": lambda: session_client(petugas_djp("djp-jatim", "35")),
        "bank": lambda: bank,
        "bps": lambda: integrator_client("bps", "pajak:baca"),
    }

    response = clients[reader]().get(f"{API}wajib-pajak/{siti}/{path}")

    refusal(response, status, code)
    assert event_types(event_type="DataPribadiDiakses") == []


def test_an_unknown_taxpayer_is_not_found(siti):
    response = session_client(petugas_djp("djp-pusat", "")).get(f"{API}wajib-pajak/{uuid.uuid4()}/")

    refusal(response, 404, "tidak_ditemukan")


def test_no_nik_or_npwp_travels_in_a_url():
    routes = [str(p.pattern) for p in (*api_urls.urlpatterns, *urls.urlpatterns)]
    parameters = {name for route in routes for name in re.findall(r"<(?:\w+:)?(\w+)>", route)}
    parameters |= {name for route in routes for name in re.findall(r"\(\?P<(\w+)>", route)}
    assert parameters == {"wajib_pajak_id", "kewajiban_id", "masa"}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    in_paths = {
        parameter["name"]
        for path, item in schema["paths"].items()
        if path.startswith(API)
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter.get("in") in ("path", "query")
    }
    assert in_paths == {"wajib_pajak_id", "masa", "format"}


# --- billing codes ---------------------------------------------------------------------------
def test_a_billing_code_is_201_with_the_code_and_its_expiry(siti):
    body = buat_kode()

    assert re.fullmatch(r"[0-3]\d{14}", body["kode"])
    assert body == {
        "kode": body["kode"],
        "jenis_pajak": "PPH_OP",
        "masa": "2025",
        "nominal": 1_250_000,
        "kedaluwarsa": "2026-12-09T10:00:00+07:00",  # 14 x 24 hours (from 17 Dec 2025)
    }
    stream = kode_billing_stream_id(body["kode"])
    assert event_types(stream_id=stream) == ["KodeBillingDibuat"]


def test_the_taxpayer_lists_the_code_with_the_time_left_to_pay_it(siti):
    kode = buat_kode()["kode"]

    with clock.frozen(DIBUAT + timedelta(hours=1)):
        [listed] = client_of("siti").get(f"{API}wajib-pajak/{siti}/kode-billing/").json()

    assert listed == {
        "kode": kode,
        "jenis_pajak": "PPH_OP",
        "masa": "2025",
        "nominal": 1_250_000,
        "status": "AKTIF",
        "dibuat_pada": "2026-11-25T10:00:00+07:00",
        "kedaluwarsa": "2026-12-09T10:00:00+07:00",
        "sisa_detik": 14 * 86400 - 3600,
        "ntpn": "",
        "tanggal_bayar": None,
        "bank": "",
    }


def test_a_billing_code_needs_a_registered_taxpayer():
    client = session_client(citizen("siti", NIK))

    response = client.post(
        f"{API}kode-billing/",
        {"jenis_pajak": "PPH_OP", "masa": "2025", "nominal": 1000},
        format="json",
    )

    refusal(response, 409, "belum_terdaftar")


def test_a_bank_may_not_issue_billing_codes(bank):
    response = bank.post(f"{API}kode-billing/", {"jenis_pajak": "??"}, format="json")

    refusal(response, 403, "tidak_berhak")  # refused before the body is read


def test_a_citizen_cannot_issue_a_code_for_another_taxpayer(siti, budi):
    response = client_of("budi").post(
        f"{API}kode-billing/",
        {"jenis_pajak": "PPH_OP", "masa": "2025", "nominal": 1000, "wajib_pajak_id": str(siti)},
        format="json",
    )

    refusal(response, 404, "tidak_ditemukan")
    assert event_types(event_type="KodeBillingDibuat") == []


# --- payments --------------------------------------------------------------------------------
DIBAYAR_JSON = {
    "ntpn": NTPN,
    "ntb": "NTB-000123",
    "nominal": 1_250_000,
    "tanggal_bayar": "2026-11-26T11:00:00+07:00",
    "bank": "Instansi bank-uji",
}


def test_a_first_report_is_201_and_the_same_report_again_is_200_with_the_same_body(siti, bank):
    kode = buat_kode()["kode"]

    first = lapor_bayar(bank, kode)
    again = lapor_bayar(bank, kode)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() == {"kode_billing": kode, **DIBAYAR_JSON}
    assert "Idempotent-Replayed" not in again
    assert event_types(stream_id=kode_billing_stream_id(kode)) == [
        "KodeBillingDibuat",
        "PembayaranDiterima",
    ]
    [paid] = client_of("siti").get(f"{API}wajib-pajak/{siti}/pembayaran/").json()
    assert (paid["kode"], paid["status"], paid["ntpn"]) == (kode, "DIBAYAR", NTPN)


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(siti, bank):
    kode = buat_kode()["kode"]
    client = bank
    client.credentials(HTTP_IDEMPOTENCY_KEY="bayar-1", **client._credentials)

    first = lapor_bayar(client, kode)
    again = lapor_bayar(client, kode)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() == {"kode_billing": kode, **DIBAYAR_JSON}
    assert event_types(event_type="PembayaranDiterima") == ["PembayaranDiterima"]


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"nominal": 1_000_000}, 409, "nominal_tidak_sesuai"),
        ({"tanggal_bayar": "2026-12-09T10:00:00+07:00"}, 409, "kedaluwarsa"),
        ({"kode_billing": "012345678901234"}, 409, "kode_billing_tidak_dikenal"),
        ({"ntpn": "SHORT"}, 400, "ntpn_format"),
        ({"tanggal_bayar": "2026-11-25T09:59:00+07:00"}, 400, "tanggal_bayar_tidak_valid"),
    ],
)
def test_a_payment_is_refused_and_nothing_is_written(siti, bank, overrides, status, code):
    kode = buat_kode()["kode"]

    response = lapor_bayar(bank, kode, **overrides)

    refusal(response, status, code)
    assert event_types(event_type="PembayaranDiterima") == []


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("id", "Jumlah pembayaran tidak sama dengan nominal kode billing."),
        ("en", "The amount paid differs from the billing code's amount."),
    ],
)
def test_a_wrong_amount_is_409_with_its_message_in_the_callers_language(
    siti, bank, language, detail
):
    kode = buat_kode()["kode"]
    bank.credentials(HTTP_ACCEPT_LANGUAGE=language, **bank._credentials)

    response = lapor_bayar(bank, kode, nominal=1_250_001)

    assert response.status_code == 409
    assert response.json() == {"code": "nominal_tidak_sesuai", "detail": detail}
    assert event_types(stream_id=kode_billing_stream_id(kode)) == ["KodeBillingDibuat"]


def test_the_recorded_ntpn_with_another_amount_is_no_retry_but_a_409(siti, bank):
    kode = buat_kode()["kode"]
    assert lapor_bayar(bank, kode).status_code == 201

    response = lapor_bayar(bank, kode, nominal=1_000_000)

    assert response.status_code == 409
    assert response.json() == {
        "code": "nominal_tidak_sesuai",
        "detail": "Jumlah pembayaran tidak sama dengan nominal kode billing.",
    }
    assert event_types(event_type="PembayaranDiterima") == ["PembayaranDiterima"]


def test_a_paid_code_refuses_another_ntpn_with_409(siti, bank):
    kode = buat_kode()["kode"]
    assert lapor_bayar(bank, kode).status_code == 201

    response = lapor_bayar(bank, kode, ntpn="9Z9Z9Z9Z9Z9Z9Z9Z")

    assert response.status_code == 409
    assert response.json() == {"code": "sudah_dibayar", "detail": "Kode billing sudah dibayar."}
    assert event_types(event_type="PembayaranDiterima") == ["PembayaranDiterima"]


def test_an_expired_code_is_refused_with_409_even_before_the_sweep(siti, bank):
    kode = buat_kode()["kode"]  # valid 14 x 24 hours: until 2026-12-09 10:00 WIB

    response = lapor_bayar(bank, kode, tanggal_bayar="2026-12-09T10:00:00+07:00")

    assert response.status_code == 409
    assert response.json() == {"code": "kedaluwarsa", "detail": "Kode billing sudah kedaluwarsa."}
    assert event_types(stream_id=kode_billing_stream_id(kode)) == ["KodeBillingDibuat"]


def test_an_ntpn_reported_for_another_code_is_refused_with_409(siti, bank):
    kode, lain = buat_kode()["kode"], buat_kode(500_000)["kode"]
    assert lapor_bayar(bank, kode).status_code == 201

    response = lapor_bayar(bank, lain, nominal=500_000)

    assert response.status_code == 409
    assert response.json() == {
        "code": "ntpn_sudah_dipakai",
        "detail": "NTPN ini sudah dipakai untuk kode billing lain.",
    }
    assert event_types(stream_id=kode_billing_stream_id(lain)) == ["KodeBillingDibuat"]


def test_the_schema_documents_201_200_and_409_for_a_payment():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/pajak/pembayaran/"]["post"]

    assert {"200", "201", "400", "403", "409"} <= set(operation["responses"])
    for status in ("200", "201"):
        body = operation["responses"][status]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/PembayaranOutput"}
    assert "nominal_tidak_sesuai" in operation["responses"]["409"]["description"]


@pytest.mark.parametrize("who", ["siti", "djp-jabar", "bps"])
def test_only_a_perception_bank_reports_payments(siti, who):
    kode = buat_kode()["kode"]
    clients = {
        "siti": lambda: client_of("siti"),
        "djp-jabar": lambda: session_client(petugas_djp("djp-jabar", "32")),
        "bps": lambda: integrator_client("bps", "pajak:baca"),
    }

    response = lapor_bayar(clients[who](), kode)

    refusal(response, 403, "bukan_bank_persepsi")
    assert event_types(event_type="PembayaranDiterima") == []


# --- returns ---------------------------------------------------------------------------------
@pytest.fixture
def kewajiban_siti(siti) -> uuid.UUID:
    """PPh 21 of November 2026 (Siti employs people), opened by her office's officer."""
    officer = principal(petugas_djp("djp-jabar", "32"))
    with clock.frozen(DIBUAT):
        kewajiban_id = commands.pajak_timbulkan_kewajiban(
            principal=officer,
            wajib_pajak_id=siti,
            jenis_pajak="PPH21",
            masa="2026-11",
            metadata=META,
        )
    proyeksikan()
    return kewajiban_id


def lapor_spt(kewajiban_id, terutang: int, kredit: int = 0, username: str = "siti"):
    body = {"kewajiban_id": str(kewajiban_id), "pajak_terutang": terutang, "kredit_pajak": kredit}
    with clock.frozen(datetime(2026, 12, 1, 9, 0, tzinfo=WIB)), committed("pajak"):
        return client_of(username).post(f"{API}spt/", body, format="json")


def test_a_nil_return_is_filed_at_once_with_its_receipt(kewajiban_siti):
    response = lapor_spt(kewajiban_siti, 0)

    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"BPE-20261201-[0-9A-F]{10}", body["bpe"])
    assert body == {
        "kewajiban_id": str(kewajiban_siti),
        "status": "DILAPORKAN",
        "kurang_bayar": 0,
        "bpe": body["bpe"],
        "kode_billing": None,
    }
    assert event_types(stream_id=kewajiban_siti) == [
        "KewajibanMasaTimbul",
        "SPTDisusun",
        "SPTDilaporkan",
    ]


def test_a_return_with_tax_left_waits_for_its_code_and_the_banks_report_files_it(
    siti, kewajiban_siti, bank
):
    response = lapor_spt(kewajiban_siti, 500_000, 100_000)

    assert response.status_code == 201
    body = response.json()
    kode = body["kode_billing"]["kode"]
    assert body == {
        "kewajiban_id": str(kewajiban_siti),
        "status": "MENUNGGU_PEMBAYARAN",
        "kurang_bayar": 400_000,
        "bpe": "",
        "kode_billing": {
            "kode": kode,
            "jenis_pajak": "PPH21",
            "masa": "2026-11",
            "nominal": 400_000,
            "kedaluwarsa": "2026-12-15T09:00:00+07:00",
        },
    }
    with clock.frozen(datetime(2026, 12, 2, 9, 0, tzinfo=WIB)), committed("pajak"):
        paid = bank.post(
            f"{API}pembayaran/",
            {
                "kode_billing": kode,
                "ntpn": NTPN,
                "ntb": "NTB-9",
                "tanggal_bayar": "2026-12-02T08:00:00",
                "nominal": 400_000,
            },
            format="json",
        )
    assert paid.status_code == 201
    [row] = client_of("siti").get(f"{API}wajib-pajak/{siti}/kewajiban/").json()
    assert (row["status_spt"], row["kurang_bayar"], row["kode_billing"]) == (
        "DILAPORKAN",
        400_000,
        kode,
    )
    assert row["bpe"].startswith("BPE-20261202-")


def test_another_citizens_obligation_does_not_exist_for_them(kewajiban_siti, budi):
    response = lapor_spt(kewajiban_siti, 0, username="budi")

    refusal(response, 404, "tidak_ditemukan")
    assert event_types(stream_id=kewajiban_siti) == ["KewajibanMasaTimbul"]


def test_an_unknown_obligation_is_not_found(siti):
    response = lapor_spt(kewajiban_stream_id(siti, "PPH21", "2020-01"), 0)

    refusal(response, 404, "tidak_ditemukan")
