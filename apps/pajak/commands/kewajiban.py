"""Obligations and returns: obligations opened per period (the beat job, or an officer),
returns drafted and filed (paying what is left through a billing code first), and the
late-filing fine set by the beat job once a filing deadline has passed."""

from __future__ import annotations

import calendar
import logging
import uuid
from dataclasses import dataclass
from datetime import date

from apps.pajak.commands._unit import (
    ALIAS,
    KodeBillingTerbit,
    bpe_baru,
    changing,
    indeks_wajib_pajak,
    kewajiban_untuk,
    terbit,
    terbitkan_kode,
)
from apps.pajak.domain.kewajiban import Kewajiban, kewajiban_stream_id
from apps.pajak.domain.konfigurasi import KonfigurasiPajak
from apps.pajak.domain.rules import (
    AKTIF,
    BADAN,
    DILAPORKAN,
    MENUNGGU_PEMBAYARAN,
    PPH21,
    PPH_BADAN,
    PPH_OP,
    PPN,
    Masa,
)
from apps.pajak.domain.wajib_pajak import WajibPajak
from apps.pajak.konfigurasi import muat_konfigurasi, muat_libur
from apps.pajak.models import IndeksKewajiban, IndeksKodeBilling, IndeksWajibPajak
from apps.pajak.roles import require_petugas
from apps.pajak.store import store
from egov import clock
from egov.eventstore.domain import DomainError, EventMetadata
from egov.eventstore.store import ConcurrencyError
from egov.principals import Principal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HasilLaporSPT:
    """``DILAPORKAN`` with its BPE, or ``MENUNGGU_PEMBAYARAN`` with the billing code whose
    payment will file it."""

    status: str
    bpe: str = ""
    kode_billing: KodeBillingTerbit | None = None


# --- obligations ------------------------------------------------------------------------------
def _timbulkan(
    wajib_pajak_id: uuid.UUID,
    jenis_pajak: str,
    masa: str,
    konfigurasi: KonfigurasiPajak,
    libur: frozenset[date],
    metadata: EventMetadata,
) -> uuid.UUID:
    kewajiban_id = kewajiban_stream_id(wajib_pajak_id, jenis_pajak, masa)
    with changing(Kewajiban, kewajiban_id, metadata, baru=True) as kewajiban:
        wp = store.get(WajibPajak, wajib_pajak_id)
        kewajiban.timbul(
            wajib_pajak=wp, jenis=jenis_pajak, masa=masa, konfigurasi=konfigurasi, libur=libur
        )
    return kewajiban_id


def pajak_timbulkan_kewajiban(
    *,
    principal: Principal,
    wajib_pajak_id: uuid.UUID,
    jenis_pajak: str,
    masa: str,
    metadata: EventMetadata,
) -> uuid.UUID:
    """An officer of the taxpayer's office opens one obligation (a period the beat job did
    not cover, e.g. before the taxpayer was indexed). Deadlines by the rule in force on the
    period's first day, moved past weekends and holidays. Returns the obligation's id."""
    require_petugas(principal)
    require_petugas(principal, kode_wilayah=indeks_wajib_pajak(wajib_pajak_id).kode_wilayah)
    periode = str(Masa.parse(masa))
    return _timbulkan(
        wajib_pajak_id, jenis_pajak, periode, muat_konfigurasi(), muat_libur(), metadata
    )


def _rencana(hari_ini: date) -> list[tuple[uuid.UUID, str, str]]:
    """(taxpayer, tax, period) due once the last month and the last tax year have ended."""
    tahun, bulan = (
        (hari_ini.year, hari_ini.month - 1)
        if hari_ini.month > 1
        else (
            hari_ini.year - 1,
            12,
        )
    )
    bulan_lalu, tahun_lalu = Masa(tahun, bulan), Masa(hari_ini.year - 1)
    akhir_bulan = date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])
    akhir_tahun = date(hari_ini.year - 1, 12, 31)
    rows = IndeksWajibPajak.objects.using(ALIAS)
    rencana = []
    for wp_id in rows.filter(jenis=BADAN, terdaftar_pada__lte=akhir_bulan).values_list(
        "wajib_pajak_id", flat=True
    ):
        rencana.append((wp_id, PPH21, str(bulan_lalu)))
    for wp_id in rows.filter(pkp=True, tanggal_pkp__lte=akhir_bulan).values_list(
        "wajib_pajak_id", flat=True
    ):
        rencana.append((wp_id, PPN, str(bulan_lalu)))
    for wp_id, jenis in rows.filter(terdaftar_pada__lte=akhir_tahun).values_list(
        "wajib_pajak_id", "jenis"
    ):
        rencana.append((wp_id, PPH_BADAN if jenis == BADAN else PPH_OP, str(tahun_lalu)))
    return rencana


def pajak_timbulkan_kewajiban_berkala(
    *, metadata: EventMetadata, hari_ini: date | None = None
) -> list[uuid.UUID]:
    """Beat job (daily; idempotent). Once a period has ended, its obligations open:
    - the month just ended: PPh 21 for every company registered by its end (employers
      withhold monthly, PMK 168/2023), PPN for every PKP confirmed by its end;
    - the tax year just ended (from 1 January): PPh badan for companies, PPh OP for
      individuals, registered by 31 December.
    Obligations already open are skipped; one refused (no deadline rule in force, a race
    with an officer) is logged and left for the next run. Returns the ids opened."""
    hari_ini = hari_ini or clock.today()
    rencana = _rencana(hari_ini)
    masa = {m for _wp, _j, m in rencana}
    ada = set(
        IndeksKewajiban.objects.using(ALIAS)
        .filter(masa__in=masa)
        .values_list("wajib_pajak_id", "jenis_pajak", "masa")
    )
    konfigurasi, libur = muat_konfigurasi(), muat_libur()
    dibuka = []
    for wp_id, jenis, periode in rencana:
        if (wp_id, jenis, periode) in ada:
            continue
        try:
            dibuka.append(_timbulkan(wp_id, jenis, periode, konfigurasi, libur, metadata))
        except (DomainError, ConcurrencyError) as error:
            logger.warning("obligation %s %s %s not opened: %s", wp_id, jenis, periode, error)
    return dibuka


# --- returns ----------------------------------------------------------------------------------
def pajak_susun_spt(
    *,
    principal: Principal,
    kewajiban_id: uuid.UUID,
    pajak_terutang: int,
    kredit_pajak: int,
    metadata: EventMetadata,
) -> int:
    """The taxpayer (or an officer of their office) drafts the return of an obligation, or
    redrafts it, or, once filed, drafts an amendment. ``kredit_pajak``: credits other than
    this return's own payments. Returns what is left to pay (below zero: overpaid)."""
    kewajiban_untuk(principal, kewajiban_id)
    with changing(Kewajiban, kewajiban_id, metadata) as kewajiban:
        kewajiban.susun_spt(
            pajak_terutang=pajak_terutang, kredit_pajak=kredit_pajak, sekarang=clock.now()
        )
    return kewajiban.kurang_bayar


def _kode_yang_ditunggu(kewajiban: Kewajiban) -> KodeBillingTerbit | None:
    """The billing code the return waits for, while it can still be paid."""
    if kewajiban.status_spt != MENUNGGU_PEMBAYARAN:
        return None
    row = IndeksKodeBilling.objects.using(ALIAS).filter(kode=kewajiban.kode_billing).first()
    if row is None or row.status != AKTIF or row.kedaluwarsa <= clock.now():
        return None
    return KodeBillingTerbit(row.kode, row.jenis_pajak, row.masa, row.nominal, row.kedaluwarsa)


def pajak_laporkan_spt(
    *, principal: Principal, kewajiban_id: uuid.UUID, metadata: EventMetadata
) -> HasilLaporSPT:
    """File the drafted return. Nothing left to pay: filed now with a new BPE. Tax left to
    pay: a billing code is issued for it (validity from the configuration) and the return
    waits; the bank's payment report files it. Asked again while waiting, the same code is
    returned; once that code expired, a new one replaces it."""
    kewajiban_untuk(principal, kewajiban_id)
    konfigurasi = muat_konfigurasi()
    with changing(Kewajiban, kewajiban_id, metadata) as kewajiban:
        if not kewajiban.perlu_pembayaran:
            bpe = bpe_baru(kewajiban)
            kewajiban.laporkan_spt(bpe=bpe, sekarang=clock.now())
            return HasilLaporSPT(DILAPORKAN, bpe=bpe)
        menunggu = _kode_yang_ditunggu(kewajiban)
        if menunggu is not None:
            return HasilLaporSPT(MENUNGGU_PEMBAYARAN, kode_billing=menunggu)
        billing = terbitkan_kode(
            store.get(WajibPajak, kewajiban.wajib_pajak_id),
            jenis_pajak=kewajiban.jenis_pajak,
            masa=kewajiban.masa,
            nominal=kewajiban.kurang_bayar,
            konfigurasi=konfigurasi,
            metadata=metadata,
            kewajiban_id=kewajiban.id,
        )
        kewajiban.minta_pembayaran(kode_billing=billing.kode)
    return HasilLaporSPT(MENUNGGU_PEMBAYARAN, kode_billing=terbit(billing))


# --- the fines sweep -------------------------------------------------------------------------
def pajak_periksa_tenggat_lapor(*, metadata: EventMetadata) -> list[uuid.UUID]:
    """Beat job (idempotent): every obligation whose filing deadline has passed (by
    ``egov.clock``) without a return filed by then gets the fine in force on the first late
    day (``SanksiDendaDitetapkan``, UU KUP Pasal 7 ayat 1), once."""
    hari_ini, konfigurasi = clock.today(), muat_konfigurasi()
    lewat = IndeksKewajiban.objects.using(ALIAS).filter(
        jatuh_tempo_lapor__lt=hari_ini, denda_ditetapkan=False, tepat_waktu=False
    )
    didenda = []
    for kewajiban_id in lewat.values_list("kewajiban_id", flat=True):
        try:
            with changing(Kewajiban, kewajiban_id, metadata) as kewajiban:
                if kewajiban.periksa_tenggat_lapor(hari_ini=hari_ini, konfigurasi=konfigurasi):
                    didenda.append(kewajiban_id)
        except ConcurrencyError:  # a return filed at this very moment: the next run decides
            continue
        except DomainError as error:  # no fine in force for that day: fix the table, rerun
            logger.warning("no fine set for obligation %s: %s", kewajiban_id, error)
    return didenda
