"""Billing codes: validity by the rule in force at issue, expiry, payment reports."""

import uuid
from datetime import UTC, datetime

import pytest

from apps.pajak.domain.events import KodeBillingDibuat, KodeBillingKedaluwarsa, PembayaranDiterima
from apps.pajak.domain.kode_billing import KodeBilling, kode_billing_stream_id
from apps.pajak.domain.rules import AKTIF, DIBAYAR, KEDALUWARSA
from apps.pajak.domain.wajib_pajak import WajibPajak
from egov.eventstore.domain import InvalidInput, InvalidState
from tests.pajak.factories import KONFIGURASI, badan, wib

KODE = "012345678901234"
NTPN = "0A1B2C3D4E5F6G7H"


def _buat(sekarang: datetime, nominal: int = 2_200_000, wp: WajibPajak | None = None):
    wp = wp or badan()
    kode = KodeBilling(kode_billing_stream_id(KODE))
    kode.buat(
        kode=KODE,
        wajib_pajak=wp,
        jenis="PPH21",
        masa="2025-11",
        nominal=nominal,
        sekarang=sekarang,
        konfigurasi=KONFIGURASI,
    )
    return kode


def _bayar(kode: KodeBilling, *, ntpn=NTPN, pada=None, nominal=2_200_000) -> bool:
    return kode.terima_pembayaran(
        ntpn=ntpn,
        ntb="BNI-778899",
        tanggal_bayar=pada or wib(2025, 12, 20, 10, 0),
        nominal=nominal,
        bank="BNI",
    )


@pytest.mark.parametrize(
    ("dibuat", "kedaluwarsa"),
    [
        # The last second of 16 December 2025 in Jakarta: 7 x 24 hours.
        (wib(2025, 12, 16, 23, 59, 59), wib(2025, 12, 23, 23, 59, 59)),
        # Midnight of 17 December 2025 in Jakarta: 14 x 24 hours.
        (wib(2025, 12, 17, 0, 0, 0), wib(2025, 12, 31, 0, 0, 0)),
        # The same two instants given in UTC: the Jakarta date decides, not the UTC one.
        (datetime(2025, 12, 16, 16, 59, 59, tzinfo=UTC), wib(2025, 12, 23, 23, 59, 59)),
        (datetime(2025, 12, 16, 17, 0, 0, tzinfo=UTC), wib(2025, 12, 31, 0, 0, 0)),
    ],
)
def test_validity_is_the_rule_in_force_on_the_jakarta_date_of_issue(dibuat, kedaluwarsa):
    kode = _buat(dibuat)
    [event] = kode.pending
    assert isinstance(event, KodeBillingDibuat)
    assert event.kedaluwarsa == kedaluwarsa
    assert event.dibuat_pada == dibuat


def test_created_event_carries_the_tax_account_and_no_npwp():
    wp = badan()
    kode = _buat(wib(2025, 12, 5, 9, 0), wp=wp)
    [event] = kode.pending
    assert event == KodeBillingDibuat(
        kode=KODE,
        wajib_pajak_id=wp.id,
        subjek_id=wp.subjek_id,
        jenis_pajak="PPH21",
        kap="411121",
        kjs="100",
        masa="2025-11",
        nominal=2_200_000,
        dibuat_pada=wib(2025, 12, 5, 9, 0),
        kedaluwarsa=wib(2025, 12, 12, 9, 0),
    )
    assert wp.npwp not in str(event.to_payload())
    assert kode.status == AKTIF


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kode": "412345678901234"}, "kode_billing_format"),  # a customs code
        ({"nominal": 0}, "nominal_tidak_valid"),
        ({"nominal": 1000.0}, "nominal_tidak_valid"),
        ({"masa": "2025"}, "masa_tidak_sesuai"),  # PPh 21 is monthly
        ({"jenis": "PBB"}, "jenis_pajak_tidak_valid"),
    ],
)
def test_invalid_billing_requests_are_refused(changes, code):
    values = {
        "kode": KODE,
        "wajib_pajak": badan(),
        "jenis": "PPH21",
        "masa": "2025-11",
        "nominal": 2_200_000,
        "sekarang": wib(2025, 12, 5),
        "konfigurasi": KONFIGURASI,
    } | changes
    kode = KodeBilling(uuid.uuid4())
    with pytest.raises(InvalidInput) as refused:
        kode.buat(**values)
    assert refused.value.code == code
    assert kode.pending == []


def test_an_unregistered_taxpayer_gets_no_billing_code():
    with pytest.raises(InvalidState) as refused:
        _buat(wib(2025, 12, 5), wp=WajibPajak(uuid.uuid4()))
    assert refused.value.code == "belum_terdaftar"


def test_the_sweep_expires_an_unpaid_code_at_its_expiry_and_only_once():
    kode = _buat(wib(2025, 12, 5, 9, 0))  # expires 12 December 09:00 WIB
    assert kode.kedaluwarsakan(sekarang=wib(2025, 12, 12, 8, 59, 59)) is False
    assert kode.kedaluwarsakan(sekarang=wib(2025, 12, 12, 9, 0)) is True
    assert kode.kedaluwarsakan(sekarang=wib(2025, 12, 13)) is False
    assert kode.pending[1:] == [
        KodeBillingKedaluwarsa(kode=KODE, kedaluwarsa=wib(2025, 12, 12, 9, 0))
    ]
    assert kode.status == KEDALUWARSA


def test_payment_is_recorded_once_and_the_same_ntpn_again_changes_nothing():
    kode = _buat(wib(2025, 12, 15, 9, 0))
    assert _bayar(kode, ntpn="0a1b2c3d4e5f6g7h") is True
    assert _bayar(kode) is False  # the bank retried the report
    assert kode.pending[1:] == [
        PembayaranDiterima(
            kode=KODE,
            ntpn=NTPN,
            ntb="BNI-778899",
            tanggal_bayar=wib(2025, 12, 20, 10, 0),
            nominal=2_200_000,
            bank="BNI",
        )
    ]
    assert (kode.status, kode.ntpn) == (DIBAYAR, NTPN)


def test_paying_again_with_another_ntpn_is_refused():
    kode = _buat(wib(2025, 12, 15, 9, 0))
    _bayar(kode)
    with pytest.raises(InvalidState) as refused:
        _bayar(kode, ntpn="ZZZZ2C3D4E5F6G7H")
    assert refused.value.code == "sudah_dibayar"
    assert len(kode.pending) == 2


def test_paying_an_expired_code_is_refused_even_before_the_sweep():
    kode = _buat(wib(2025, 12, 5, 9, 0))  # 7 days: expires 12 December 09:00 WIB
    with pytest.raises(InvalidState) as refused:
        _bayar(kode, pada=wib(2025, 12, 12, 9, 0))
    assert refused.value.code == "kedaluwarsa"
    assert _bayar(kode, pada=wib(2025, 12, 12, 8, 59, 59)) is True


def test_paying_a_code_the_sweep_expired_is_refused():
    kode = _buat(wib(2025, 12, 5, 9, 0))
    kode.kedaluwarsakan(sekarang=wib(2025, 12, 12, 9, 0))
    with pytest.raises(InvalidState) as refused:
        _bayar(kode, pada=wib(2025, 12, 11))
    assert refused.value.code == "kedaluwarsa"
    assert len(kode.pending) == 2


def test_a_code_issued_on_17_december_is_still_payable_after_seven_days():
    kode = _buat(wib(2025, 12, 17, 0, 0))
    assert _bayar(kode, pada=wib(2025, 12, 30, 23, 59, 59)) is True  # expires 31 Dec 00:00


@pytest.mark.parametrize("nominal", [2_199_999, 2_200_001])
def test_a_wrong_amount_is_refused(nominal):
    kode = _buat(wib(2025, 12, 15, 9, 0))
    with pytest.raises(InvalidInput) as refused:
        _bayar(kode, nominal=nominal)
    assert refused.value.code == "nominal_tidak_sesuai"
    assert len(kode.pending) == 1


def test_a_payment_dated_before_the_code_existed_is_refused():
    kode = _buat(wib(2025, 12, 15, 9, 0))
    with pytest.raises(InvalidInput) as refused:
        _bayar(kode, pada=wib(2025, 12, 15, 8, 59))
    assert refused.value.code == "tanggal_bayar_tidak_valid"


def test_a_payment_for_an_unknown_code_is_refused():
    with pytest.raises(InvalidState) as refused:
        _bayar(KodeBilling(uuid.uuid4()))
    assert refused.value.code == "kode_billing_tidak_dikenal"


def test_replay_rebuilds_the_paid_code_without_checking_again():
    kode = _buat(wib(2025, 12, 15, 9, 0))
    _bayar(kode)
    stored = [
        type(e).from_payload(e.to_payload()) for e in kode.collect()
    ]  # as the store reloads them
    again = KodeBilling.rehydrate(kode.id, stored)
    assert (again.status, again.ntpn, again.nominal, again.version) == (DIBAYAR, NTPN, 2_200_000, 2)


def test_a_code_for_a_return_names_its_obligation_and_keeps_it_through_storage():
    kewajiban_id = uuid.uuid4()
    kode = KodeBilling(kode_billing_stream_id(KODE))
    kode.buat(
        kode=KODE,
        wajib_pajak=badan(),
        jenis="PPH_BADAN",
        masa="2024",
        nominal=271_604_740,
        sekarang=wib(2025, 4, 20, 9, 0),
        konfigurasi=KONFIGURASI,
        kewajiban_id=kewajiban_id,
    )
    [event] = kode.pending
    assert (event.kap, event.kjs, event.masa) == ("411126", "200", "2024")
    assert KodeBillingDibuat.from_payload(event.to_payload()).kewajiban_id == kewajiban_id
