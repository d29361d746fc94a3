"""Billing codes and payments (MPN G3): a code issued for one payment, paid once at a
perception bank before it expires, reported with its NTPN; expired by the beat job."""

from __future__ import annotations

import uuid
from datetime import datetime

from apps.pajak.commands._unit import (
    ALIAS,
    MSG_NTPN_SUDAH_DIPAKAI,
    KodeBillingTerbit,
    PembayaranTercatat,
    bpe_baru,
    simpan,
    terbit,
    terbitkan_kode,
    wajib_pajak_untuk,
)
from apps.pajak.domain.kewajiban import Kewajiban, periksa_berlaku_bagi
from apps.pajak.domain.kode_billing import KodeBilling, kode_billing_stream_id
from apps.pajak.domain.nomor import periksa_kode_billing, periksa_ntpn
from apps.pajak.domain.rules import (
    AKTIF,
    MENUNGGU_PEMBAYARAN,
    MSG_KODE_BILLING_TIDAK_DIKENAL,
    MSG_NOMINAL_TIDAK_SESUAI,
    WIB,
    Masa,
)
from apps.pajak.domain.rules import jenis_pajak as pajak_dari_kode
from apps.pajak.domain.wajib_pajak import WajibPajak
from apps.pajak.konfigurasi import muat_konfigurasi
from apps.pajak.models import IndeksKodeBilling
from apps.pajak.roles import require_bank
from apps.pajak.store import store
from egov import clock
from egov.db import atomic
from egov.eventstore.domain import EventMetadata, InvalidInput, InvalidState
from egov.principals import Principal


def pajak_buat_kode_billing(
    *,
    principal: Principal,
    jenis_pajak: str,
    masa: str,
    nominal: int,
    metadata: EventMetadata,
    wajib_pajak_id: uuid.UUID | None = None,
) -> KodeBillingTerbit:
    """A billing code for ``nominal`` rupiah of a tax that applies to the taxpayer (PPN only
    for a PKP, PPh badan only for a company...) for period ``masa`` (``2026-03`` or ``2026``).
    A citizen issues codes for their own registration (``wajib_pajak_id`` left out); an
    officer for a taxpayer of their office. Valid for the duration in force on today's
    Jakarta date (7 x 24 hours; 14 x 24 hours for codes issued from 17 December 2025)."""
    indeks = wajib_pajak_untuk(principal, wajib_pajak_id)
    konfigurasi = muat_konfigurasi()
    periode = str(Masa.parse(masa))
    with atomic(ALIAS):
        wp = store.get(WajibPajak, indeks.wajib_pajak_id)
        periksa_berlaku_bagi(pajak_dari_kode(jenis_pajak), wp)
        billing = terbitkan_kode(
            wp,
            jenis_pajak=jenis_pajak,
            masa=periode,
            nominal=nominal,
            konfigurasi=konfigurasi,
            metadata=metadata,
        )
    return terbit(billing)


def _waktu_bank(tanggal_bayar: datetime) -> datetime:
    """Banks report Jakarta time; a time without a zone is read as WIB."""
    return tanggal_bayar if tanggal_bayar.tzinfo else tanggal_bayar.replace(tzinfo=WIB)


def _kunci_kode(kode: str) -> IndeksKodeBilling:
    """Lock the code's index row until the transaction ends: two banks reporting the same code
    at once take turns, and the second sees the first's payment (``sudah_dibayar``)."""
    row = IndeksKodeBilling.objects.using(ALIAS).select_for_update().filter(kode=kode).first()
    if row is None:
        raise InvalidState(MSG_KODE_BILLING_TIDAK_DIKENAL, code="kode_billing_tidak_dikenal")
    return row


def pajak_terima_pembayaran(
    *,
    principal: Principal,
    kode: str,
    ntpn: str,
    ntb: str,
    tanggal_bayar: datetime,
    nominal: int,
    metadata: EventMetadata,
    bank: str = "",
) -> PembayaranTercatat:
    """A perception bank (scope ``pajak:pembayaran``) reports a payment. Idempotent on the
    NTPN: the same report again records nothing and gets the same answer (``baru`` False).
    Refused: an unknown code, an NTPN already used for another code (``ntpn_sudah_dipakai``),
    a code already paid (``sudah_dibayar``), expired (``kedaluwarsa``), or another amount
    (``nominal_tidak_sesuai``, also for the paid NTPN again with another amount), each an
    ``InvalidState`` (the API's 409). When the code is the one a return waits for, the
    return is filed in the same transaction (``SPTDilaporkan`` with a new BPE)."""
    require_bank(principal)
    kode, ntpn = periksa_kode_billing(kode.strip()), periksa_ntpn(ntpn)
    with atomic(ALIAS):
        _kunci_kode(kode)
        dipakai = IndeksKodeBilling.objects.using(ALIAS).filter(ntpn=ntpn).exclude(kode=kode)
        if dipakai.exists():
            raise InvalidState(MSG_NTPN_SUDAH_DIPAKAI, code="ntpn_sudah_dipakai")
        billing = store.get(KodeBilling, kode_billing_stream_id(kode))
        bank = bank.strip() or principal.name
        baru = _terima(billing, ntpn, ntb, _waktu_bank(tanggal_bayar), nominal, bank)
        if baru:
            simpan(billing, metadata)
            _lapor_spt_yang_menunggu(billing, metadata)
        elif nominal != billing.nominal:
            # the same NTPN with another amount is not a retry of the payment recorded
            raise InvalidState(MSG_NOMINAL_TIDAK_SESUAI, code="nominal_tidak_sesuai")
    bayar = billing.pembayaran
    return PembayaranTercatat(
        bayar.kode, bayar.ntpn, bayar.ntb, bayar.nominal, bayar.tanggal_bayar, bayar.bank, baru
    )


def _terima(
    billing: KodeBilling, ntpn: str, ntb: str, tanggal_bayar: datetime, nominal: int, bank: str
) -> bool:
    """The aggregate's decision. Another amount than the code's conflicts with the code as
    issued (a code is paid in full, once): a state refusal (409) like an expired or paid
    code, not malformed input, whatever exception class the domain raises it with."""
    try:
        return billing.terima_pembayaran(
            ntpn=ntpn, ntb=ntb, tanggal_bayar=tanggal_bayar, nominal=nominal, bank=bank
        )
    except InvalidInput as refusal:
        if refusal.code != "nominal_tidak_sesuai":
            raise
        raise InvalidState(refusal.message, code=refusal.code) from None


def _lapor_spt_yang_menunggu(billing: KodeBilling, metadata: EventMetadata) -> None:
    """File the return that waits for this very code. A code the return no longer waits for
    (it was redrafted since) is still paid: the payment stands as a credit for the next draft."""
    if billing.kewajiban_id is None:
        return
    kewajiban = store.get(Kewajiban, billing.kewajiban_id)
    if kewajiban.status_spt != MENUNGGU_PEMBAYARAN or kewajiban.kode_billing != billing.kode:
        return
    kewajiban.catat_pembayaran(
        kode_billing=billing.kode,
        ntpn=billing.ntpn,
        nominal=billing.nominal,
        bpe=bpe_baru(kewajiban),
        sekarang=clock.now(),
    )
    simpan(kewajiban, metadata)


def pajak_kedaluwarsakan_billing(*, metadata: EventMetadata) -> list[str]:
    """Beat job: every unpaid code whose validity has passed (by ``egov.clock``) becomes
    ``KodeBillingKedaluwarsa``. Each code in its own transaction, under its row lock, so a
    payment being recorded at that moment wins or is refused cleanly; idempotent."""
    sekarang = clock.now()
    lewat = IndeksKodeBilling.objects.using(ALIAS).filter(status=AKTIF, kedaluwarsa__lte=sekarang)
    kedaluwarsa = []
    for kode in lewat.order_by("kedaluwarsa").values_list("kode", flat=True):
        with atomic(ALIAS):
            _kunci_kode(kode)
            billing = store.get(KodeBilling, kode_billing_stream_id(kode))
            if billing.kedaluwarsakan(sekarang=sekarang):
                simpan(billing, metadata)
                kedaluwarsa.append(kode)
    return kedaluwarsa
