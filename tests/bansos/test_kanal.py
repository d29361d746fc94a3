"""bansos's payment-channel API (OAuth2 client credentials, scope ``bansos:penyaluran``) and
the simulated channel ``bansos_kanal_simulasi``: the poll of pending instructions, reports
applied once however often sent (same ``Idempotency-Key``, or none), late and out-of-order
reports as the domain allows, 409 with a code for a report that no longer fits (the recipient
suspended meanwhile), and a round closed to the rupiah after the simulated channel answered
every instruction over HTTP."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from apps.bansos import commands
from apps.bansos.domain.events import DanaDisalurkan
from apps.bansos.domain.penyaluran import instruksi_id
from apps.bansos.management.commands import bansos_kanal_simulasi as simulasi
from tests.bansos.perintah import (  # noqa: F401 - konfigurasi: a fixture
    DINSOS,
    KELUARGA_B,
    KK_B,
    NIK_KELUARGA_B,
    PUSAT,
    buat_instruksi,
    event_stream,
    jenis_event,
    jumlah_event,
    konfigurasi,
    meta,
    penerima,
    siklus_disetujui,
)
from tests.bansos.test_api import petugas
from tests.bansos.test_projections import keluarga_jatim, proyeksikan
from tests.principals import SECRET, integrator_client, integrator_token, officer, session_client

pytestmark = [pytest.mark.django_db(databases="__all__"), pytest.mark.usefixtures("konfigurasi")]
API = "/api/v1/bansos/instruksi/"
BASE = "http://egov.test"


@pytest.fixture
def bank():
    return integrator_client("bank-bri", "bansos:penyaluran", "bansos:kanal:BRI")


def satu_keluarga():
    """Household A (Rp600.000 for 2025-TW2) instructed to BRI; the read side has it."""
    a = penerima()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    proyeksikan()
    return siklus_id, instruksi_id(siklus_id, a), a


def lapor(client, kunci, body, **headers):
    return client.post(f"{API}{kunci}/laporan/", body, format="json", headers=headers)


DISALURKAN = {"status": "DISALURKAN", "ntx": "BRI-0001", "nominal": 600_000}


# --- the poll -----------------------------------------------------------------------------------
def test_the_channel_polls_the_instructions_waiting_for_an_outcome(bank):
    siklus_id, kunci, a = satu_keluarga()

    response = bank.get(API, {"siklus": str(siklus_id), "status": "menunggu"})

    assert response.status_code == 200
    [instruksi] = response.json()
    assert instruksi | {"dibuat_pada": "-", "diperbarui_pada": "-"} == {
        "instruksi_id": str(kunci),
        "siklus_id": str(siklus_id),
        "penerima_id": str(a),
        "kode_wilayah": "3273011001",
        "nominal": 600_000,
        "kanal": "BRI",
        "status": "DIBUAT",
        "dibuat_pada": "-",
        "diperbarui_pada": "-",
    }
    assert bank.get(API, {"kanal": "POS"}).json() == []
    assert bank.get(API, {"siklus": str(uuid.uuid4())}).json() == []
    assert bank.get(API, {"status": "TERSALUR"}).json() == []
    bad = bank.get(API, {"status": "SELESAI"})
    assert (bad.status_code, list(bad.json())) == (400, ["status"])


# --- reports, once -----------------------------------------------------------------------------
def test_a_report_is_recorded_once_however_often_it_is_sent(bank):
    siklus_id, kunci, _a = satu_keluarga()

    first = lapor(bank, kunci, DISALURKAN, **{"Idempotency-Key": f"{kunci}:DISALURKAN"})
    retried = lapor(bank, kunci, DISALURKAN, **{"Idempotency-Key": f"{kunci}:DISALURKAN"})
    again = lapor(bank, kunci, DISALURKAN)  # a duplicate callback without a key

    body = {"instruksi_id": str(kunci), "status": "DISALURKAN"}
    assert (first.status_code, first.json()) == (201, body)
    assert (retried.status_code, retried.json()) == (201, body)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert (again.status_code, again.json()) == (200, body)
    assert jenis_event(siklus_id).count("DanaDisalurkan") == 1
    dana = event_stream(siklus_id)[-1]
    assert isinstance(dana, DanaDisalurkan)
    assert (dana.kanal, dana.ntx, dana.nominal) == ("BRI", "BRI-0001", 600_000)


def test_reports_out_of_order_are_taken_as_the_domain_allows(bank):
    siklus_id, kunci, _a = satu_keluarga()

    assert lapor(bank, kunci, {"status": "TIDAK_DIAMBIL"}).status_code == 201
    assert lapor(bank, kunci, {"status": "DIALIHKAN_KE_POS"}).status_code == 201
    late = lapor(bank, kunci, {"status": "TIDAK_DIAMBIL"})  # arrives after the redirect
    returned = {"status": "DIKEMBALIKAN", "nominal": 600_000, "referensi": "NTPN-RTR-1"}
    assert lapor(bank, kunci, returned).status_code == 201
    before = jumlah_event()
    failed = lapor(bank, kunci, {"status": "GAGAL", "alasan": "Rekening ditutup"})

    assert (late.status_code, late.json()["status"]) == (200, "TIDAK_DIAMBIL")
    assert (failed.status_code, failed.json()["code"]) == (409, "status_instruksi")
    assert jumlah_event() == before
    assert jenis_event(siklus_id)[-3:] == [
        "DanaTidakDiambil",
        "PenyaluranDialihkanKePos",
        "DanaDikembalikan",
    ]


def test_a_second_payment_of_a_paid_instruction_is_409(bank):
    _siklus_id, kunci, _a = satu_keluarga()
    lapor(bank, kunci, DISALURKAN)

    response = lapor(bank, kunci, {**DISALURKAN, "ntx": "BRI-0002"})

    assert (response.status_code, response.json()["code"]) == (409, "sudah_disalurkan")


def test_a_report_for_an_instruction_cancelled_by_a_suspension_is_409(bank):
    siklus_id, kunci, a = satu_keluarga()
    commands.bansos_tangguhkan_penerima(
        principal=DINSOS, penerima_id=a, alasan="MENINGGAL", metadata=meta(DINSOS)
    )
    assert jenis_event(siklus_id)[-1] == "InstruksiDibatalkan"
    before = jumlah_event()

    response = lapor(bank, kunci, DISALURKAN)

    assert (response.status_code, response.json()["code"]) == (409, "instruksi_dibatalkan")
    assert jumlah_event() == before


def test_an_unknown_instruction_is_409_with_its_code(bank):
    response = lapor(bank, uuid.uuid4(), DISALURKAN)

    assert response.status_code == 404


def test_a_report_names_each_missing_field(bank):
    _siklus_id, kunci, _a = satu_keluarga()
    before = jumlah_event()

    paid = lapor(bank, kunci, {"status": "DISALURKAN"})
    returned = lapor(bank, kunci, {"status": "DIKEMBALIKAN", "nominal": 0})
    unknown = lapor(bank, kunci, {"status": "TERSALUR"})

    assert paid.status_code == 400
    assert paid.json() == {
        "ntx": ["Wajib diisi untuk laporan DISALURKAN."],
        "nominal": ["Wajib diisi untuk laporan DISALURKAN."],
    }
    assert (returned.status_code, set(returned.json())) == (400, {"nominal"})
    assert (unknown.status_code, list(unknown.json())) == (400, ["status"])
    assert jumlah_event() == before


# --- who may report ----------------------------------------------------------------------------
@pytest.mark.parametrize("caller", ["reader", "officer", "anonymous"])
def test_only_a_channel_with_bansos_penyaluran_polls_and_reports(caller):
    _siklus_id, kunci, _a = satu_keluarga()
    client, expected = {
        "reader": (lambda: integrator_client("bappenas", "bansos:baca"), 403),
        "officer": (lambda: petugas("operator-pusat-2"), 403),
        "anonymous": (APIClient, 401),
    }[caller]
    client = client()
    before = jumlah_event()

    poll = client.get(API)
    report = lapor(client, kunci, DISALURKAN)

    assert (poll.status_code, report.status_code) == (expected, expected)
    if expected == 403:
        assert (poll.json()["code"], report.json()["code"]) == ("bukan_penyalur",) * 2
    assert jumlah_event() == before


def test_a_token_granted_another_scope_is_403(bank):
    """An integrator granted only pajak:pembayaran (a perception bank) is no bansos channel."""
    pajak = integrator_client("bank-persepsi", "pajak:pembayaran")

    assert pajak.get(API).json()["code"] == "bukan_penyalur"
    assert session_client(officer("admin-lain")).get(API).status_code == 403


# --- the simulated channel ---------------------------------------------------------------------
def test_each_instructions_fate_follows_from_its_id_alone():
    kunci = "0b1c2d3e-0000-4000-8000-000000000001"
    item = {"instruksi_id": kunci, "nominal": 225_000, "kanal": "BNI"}

    assert simulasi.nasib(kunci) == simulasi.nasib(kunci)
    assert simulasi.laporan({**item, "status": "DIBUAT"}, pola="D") == {
        "status": "DISALURKAN",
        "ntx": "BNI-0B1C2D3E0000",
        "nominal": 225_000,
    }
    assert simulasi.laporan({**item, "status": "DIBUAT"}, pola="G")["status"] == "GAGAL"
    assert simulasi.laporan({**item, "status": "DIBUAT"}, pola="T") == {"status": "TIDAK_DIAMBIL"}
    assert simulasi.laporan({**item, "status": "TIDAK_DIAMBIL"}) == {"status": "DIALIHKAN_KE_POS"}
    assert simulasi.laporan({**item, "status": "DIALIHKAN_KE_POS"}) == {
        "status": "DIKEMBALIKAN",
        "nominal": 225_000,
        "referensi": "RTR-0B1C2D3E0000",
    }
    assert simulasi.laporan({**item, "status": "TERSALUR"}) is None


def lewat_klien_uji(monkeypatch, *, proyeksi: bool = True) -> list[tuple[str, str]]:
    """The simulator's HTTP exchanges through Django's test client; after each report the
    worker projects the event (in a test transaction nothing runs on commit)."""
    client, log = APIClient(), []

    def minta(method: str, url: str, *, headers: dict[str, str], body: bytes | None = None):
        path = url.removeprefix(BASE)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        content_type = headers.get("Content-Type", "application/octet-stream")
        response = client.generic(method, path, body or b"", content_type, **extra)
        log.append((method, path))
        if proyeksi and method == "POST" and path.startswith(API):
            proyeksikan()
        return response.status_code, response.json()

    monkeypatch.setattr(simulasi, "minta", minta)
    return log


def tiga_keluarga():
    """Households A (Rp600.000), B and J (Rp225.000 each) instructed to BRI for 2025-TW2."""
    a, b, j = penerima(), penerima(KELUARGA_B, NIK_KELUARGA_B, kk=KK_B), keluarga_jatim()
    siklus_id = siklus_disetujui()
    buat_instruksi(siklus_id)
    proyeksikan()
    return siklus_id, {p: instruksi_id(siklus_id, p) for p in (a, b, j)}


def benih_untuk(kunci_kunci, pola: str = "DGT") -> str:
    """A seed giving each of the instructions another fate (every path is taken)."""
    for n in range(1000):
        fates = {simulasi.nasib(str(k), pola=pola, benih=str(n)) for k in kunci_kunci}
        if fates == set(pola):
            return str(n)
    raise AssertionError("no seed")


def jalankan(*extra: str) -> str:
    out = StringIO()
    call_command(
        "bansos_kanal_simulasi",
        "--client-id", "kanal-simulasi", "--secret", SECRET, "--url", BASE, "--sekali",
        *extra, stdout=out,
    )  # fmt: skip
    return out.getvalue().strip()


def test_the_simulated_channel_answers_asynchronously_and_the_round_closes_to_the_rupiah(
    monkeypatch,
):
    siklus_id, instruksi = tiga_keluarga()
    integrator_token(
        "kanal-simulasi", "bansos:penyaluran", "bansos:kanal:BRI"
    )  # registered with its secret
    lewat_klien_uji(monkeypatch)
    benih = benih_untuk(instruksi.values())
    fate = {k: simulasi.nasib(str(k), pola="DGT", benih=benih) for k in instruksi.values()}
    nominal = {instruksi[p]: n for p, n in zip(instruksi, (600_000, 225_000, 225_000), strict=True)}
    args = ("--pola", "DGT", "--benih", benih)

    rounds = [jalankan(*args) for _ in range(4)]

    assert rounds == [
        "DISALURKAN=1 GAGAL=1 TIDAK_DIAMBIL=1",
        "DIALIHKAN_KE_POS=1",
        "DIKEMBALIKAN=1",
        "-",
    ]
    assert sorted(jenis_event(siklus_id)) == sorted(
        [
            "SiklusPenyaluranDibuat",
            "SiklusDiajukan",
            "SiklusDisetujui",
            "InstruksiPembayaranDibuat",
            "InstruksiPembayaranDibuat",
            "InstruksiPembayaranDibuat",
            "DanaDisalurkan",
            "DanaGagalDisalurkan",
            "DanaTidakDiambil",
            "PenyaluranDialihkanKePos",
            "DanaDikembalikan",
        ]
    )
    pusat = petugas("operator-pusat-api")
    closed = pusat.post(f"/api/v1/bansos/siklus/{siklus_id}/penutupan/")
    by_fate = {f: sum(nominal[k] for k in fate if fate[k] == f) for f in "DGT"}
    assert (closed.status_code, closed.json()) == (
        200,
        {
            "status": "DITUTUP",
            "rekonsiliasi": {
                "jumlah_instruksi": 3,
                "diinstruksikan": 1_050_000,
                "disalurkan": by_fate["D"],
                "dikembalikan": by_fate["T"],
                "gagal": by_fate["G"],
                "dibatalkan": 0,
                "belum_final": 0,
                "selisih": 0,
                "seimbang": True,
            },
        },
    )
    proyeksikan()
    page = pusat.get(f"/api/v1/bansos/siklus/{siklus_id}/").json()["siklus"]
    assert page["status"] == "DITUTUP"
    assert page["rekonsiliasi"] == closed.json()["rekonsiliasi"]


def test_a_stale_poll_sends_the_same_reports_again_and_nothing_is_recorded_twice(monkeypatch):
    """The read side has not caught up: the next round sees the same instructions waiting
    and sends the same reports (same fates, same keys): nothing new is appended."""
    siklus_id, _instruksi = tiga_keluarga()
    integrator_token("kanal-simulasi", "bansos:penyaluran", "bansos:kanal:BRI")
    lewat_klien_uji(monkeypatch, proyeksi=False)

    jalankan()
    after_first = jenis_event(siklus_id)
    jalankan()

    assert jenis_event(siklus_id) == after_first
    assert len(after_first) == 3 + 3 + 3  # created..approved, 3 instructions, 3 reports


def test_a_channel_without_valid_credentials_is_told_so(monkeypatch):
    lewat_klien_uji(monkeypatch)

    with pytest.raises(Exception, match="token refused: HTTP 401"):
        jalankan()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_simulated_channel_against_a_running_egov(live_server):
    """Over real sockets to the live test server: commits run the projections, as the worker
    would, so each round sees what the last one reported."""
    siklus_id, _instruksi = tiga_keluarga()
    integrator_token("kanal-simulasi", "bansos:penyaluran", "bansos:kanal:BRI")

    for _ in range(4):
        out = StringIO()
        call_command(
            "bansos_kanal_simulasi",
            "--client-id", "kanal-simulasi", "--secret", SECRET, "--url", live_server.url,
            "--sekali", stdout=out,
        )  # fmt: skip

    assert out.getvalue().strip() == "-"
    r = commands.bansos_tutup_siklus(principal=PUSAT, siklus_id=siklus_id, metadata=meta(PUSAT))
    assert (r.belum_final, r.selisih, r.diinstruksikan) == (0, 0, 1_050_000)
