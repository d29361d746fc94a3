"""Read side of ONE taxpayer's records (``pajak_read`` only, tables of ``pajak.wajib_pajak``):
registration, obligations with their return, billing codes with the time left to pay them,
and payments. Plain data for the taxpayer's own pages, the API and the officer of their office.

Tax secrecy (UU KUP Pasal 34): ``profil_untuk`` lets through the taxpayer themselves (their
verified NIK's subject) and a DJP officer whose office covers the taxpayer's regency; an
officer of another office is refused (``luar_wilayah``); anyone else learns nothing, not even
that the taxpayer exists (``NotVisible``). The doors record every read of a record by someone
other than its owner (``egov.doors.record_view``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.pajak.domain.rules import (
    AKTIF,
    BADAN,
    DIBAYAR,
    DILAPORKAN,
    DRAF,
    KEDALUWARSA,
    MENUNGGU_PEMBAYARAN,
    OP,
)
from apps.pajak.queries import nama_jenis_pajak
from apps.pajak.read_models import KewajibanWajibPajak, KodeBillingWajibPajak, ProfilWajibPajak
from apps.pajak.roles import MSG_WP_TIDAK_DITEMUKAN, require_may_act_for
from egov import clock
from egov.principals import NotVisible, Principal

MSG_SISA_HARI = gettext_noop("berlaku %(hari)d hari %(jam)d jam lagi")
MSG_SISA_JAM = gettext_noop("berlaku %(jam)d jam %(menit)d menit lagi")
MSG_SISA_MENIT = gettext_noop("berlaku %(menit)d menit lagi")
MSG_TIDAK_BERLAKU = gettext_noop("sudah tidak berlaku")

# What a person reads instead of a code.
LABEL = {
    OP: gettext_lazy("Orang pribadi"),
    BADAN: gettext_lazy("Badan"),
    AKTIF: gettext_lazy("Belum dibayar"),
    DIBAYAR: gettext_lazy("Dibayar"),
    KEDALUWARSA: gettext_lazy("Kedaluwarsa"),
    "": gettext_lazy("Belum disusun"),
    DRAF: gettext_lazy("Draf"),
    MENUNGGU_PEMBAYARAN: gettext_lazy("Menunggu pembayaran"),
    DILAPORKAN: gettext_lazy("Dilaporkan"),
}


def label(kode: str) -> str:
    return str(LABEL.get(kode, kode))


def sisa_berlaku(kedaluwarsa: datetime, sekarang: datetime) -> str:
    """The time left to pay a code, in words: ``berlaku 6 hari 3 jam lagi`` (whole units,
    rounded down: a code is never shown as valid longer than it is)."""
    detik = int((kedaluwarsa - sekarang).total_seconds())
    if detik <= 0:
        return _(MSG_TIDAK_BERLAKU)
    hari, sisa = divmod(detik, 86400)
    jam, sisa = divmod(sisa, 3600)
    menit = sisa // 60
    if hari:
        return _(MSG_SISA_HARI) % {"hari": hari, "jam": jam}
    if jam:
        return _(MSG_SISA_JAM) % {"jam": jam, "menit": menit}
    return _(MSG_SISA_MENIT) % {"menit": max(menit, 1)}


# --- plain data --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProfilWP:
    wajib_pajak_id: uuid.UUID
    subjek_id: str  # whose record it is (for the access log), never shown
    jenis_wp: str
    npwp_tersamar: str
    kode_wilayah: str
    terdaftar_pada: datetime
    pkp: bool
    tanggal_pkp: date | None
    peninjauan: bool

    @property
    def nama_jenis_wp(self) -> str:
        return label(self.jenis_wp)


@dataclass(frozen=True)
class KodeBillingWP:
    """A billing code as its taxpayer sees it. ``status`` is what it is *now*: an unpaid code
    past its expiry is ``KEDALUWARSA`` even before the sweep recorded it (no bank takes it)."""

    kode: str
    jenis_pajak: str
    masa: str
    nominal: int
    status: str
    dibuat_pada: datetime
    kedaluwarsa: datetime
    kewajiban_id: uuid.UUID | None
    ntpn: str
    tanggal_bayar: datetime | None
    bank: str
    sisa_detik: int  # validity left, in seconds (0 once paid or expired)
    sisa_berlaku: str  # the same in words ("berlaku 6 hari 3 jam lagi"); "" unless payable

    @property
    def nama_jenis_pajak(self) -> str:
        return nama_jenis_pajak(self.jenis_pajak)

    @property
    def nama_status(self) -> str:
        return label(self.status)

    @property
    def dapat_dibayar(self) -> bool:
        return self.status == AKTIF


@dataclass(frozen=True)
class KewajibanWP:
    kewajiban_id: uuid.UUID
    jenis_pajak: str
    masa: str
    jatuh_tempo_bayar: date
    jatuh_tempo_lapor: date
    status_spt: str
    pembetulan_ke: int
    pajak_terutang: int
    kredit_pajak: int
    kurang_bayar: int
    kode_billing: str
    bpe: str
    dilaporkan_pada: datetime | None
    denda: int

    @property
    def nama_jenis_pajak(self) -> str:
        return nama_jenis_pajak(self.jenis_pajak)

    @property
    def nama_status_spt(self) -> str:
        return label(self.status_spt)

    @property
    def dilaporkan(self) -> bool:
        return self.status_spt == DILAPORKAN


# --- look-ups ----------------------------------------------------------------------------------
def _profil(row: ProfilWajibPajak) -> ProfilWP:
    return ProfilWP(
        row.wajib_pajak_id,
        row.subjek_id,
        row.jenis_wp,
        row.npwp_tersamar,
        row.kode_wilayah,
        row.terdaftar_pada,
        row.pkp,
        row.tanggal_pkp,
        row.peninjauan,
    )


def profil_warga(subject_id: str) -> ProfilWP | None:
    """The citizen's own registration as an individual (None: not activated yet)."""
    if not subject_id:
        return None
    row = ProfilWajibPajak.objects.filter(subjek_id=subject_id, jenis_wp=OP).first()
    return _profil(row) if row else None


def profil_untuk(principal: Principal, wajib_pajak_id: uuid.UUID) -> ProfilWP:
    """One taxpayer's registration if ``principal`` may read it (see the module's rule)."""
    row = ProfilWajibPajak.objects.filter(wajib_pajak_id=wajib_pajak_id).first()
    if row is None:
        raise NotVisible(MSG_WP_TIDAK_DITEMUKAN)
    require_may_act_for(principal, subjek_id=row.subjek_id, kode_wilayah=row.kode_wilayah)
    return _profil(row)


def kewajiban(wajib_pajak_id: uuid.UUID) -> list[KewajibanWP]:
    """Obligations, the latest period first."""
    rows = KewajibanWajibPajak.objects.filter(wajib_pajak_id=wajib_pajak_id)
    return [
        KewajibanWP(
            r.kewajiban_id,
            r.jenis_pajak,
            r.masa,
            r.jatuh_tempo_bayar,
            r.jatuh_tempo_lapor,
            r.status_spt,
            r.pembetulan_ke,
            r.pajak_terutang,
            r.kredit_pajak,
            r.kurang_bayar,
            r.kode_billing,
            r.bpe,
            r.dilaporkan_pada,
            r.denda,
        )
        for r in rows.order_by("-jatuh_tempo_lapor", "jenis_pajak")
    ]


def _kode_billing(r: KodeBillingWajibPajak, sekarang: datetime) -> KodeBillingWP:
    lewat = r.status == AKTIF and r.kedaluwarsa <= sekarang
    status = KEDALUWARSA if lewat else r.status
    payable = status == AKTIF
    return KodeBillingWP(
        kode=r.kode,
        jenis_pajak=r.jenis_pajak,
        masa=r.masa,
        nominal=r.nominal,
        status=status,
        dibuat_pada=r.dibuat_pada,
        kedaluwarsa=r.kedaluwarsa,
        kewajiban_id=r.kewajiban_id,
        ntpn=r.ntpn,
        tanggal_bayar=r.tanggal_bayar,
        bank=r.bank,
        sisa_detik=int((r.kedaluwarsa - sekarang).total_seconds()) if payable else 0,
        sisa_berlaku=sisa_berlaku(r.kedaluwarsa, sekarang) if payable else "",
    )


def kode_billing(wajib_pajak_id: uuid.UUID, *, sekarang: datetime | None = None) -> list:
    """Billing codes, the newest first, each with the time left to pay it at ``sekarang``."""
    sekarang = sekarang or clock.now()
    rows = KodeBillingWajibPajak.objects.filter(wajib_pajak_id=wajib_pajak_id)
    return [_kode_billing(r, sekarang) for r in rows.order_by("-dibuat_pada", "kode")]


def satu_kode_billing(wajib_pajak_id: uuid.UUID, kode: str) -> KodeBillingWP | None:
    row = KodeBillingWajibPajak.objects.filter(wajib_pajak_id=wajib_pajak_id, kode=kode).first()
    return _kode_billing(row, clock.now()) if row else None


def pembayaran(wajib_pajak_id: uuid.UUID) -> list[KodeBillingWP]:
    """Payments (the codes a bank reported paid), the latest first."""
    rows = KodeBillingWajibPajak.objects.filter(wajib_pajak_id=wajib_pajak_id, status=DIBAYAR)
    sekarang = clock.now()
    return [_kode_billing(r, sekarang) for r in rows.order_by("-tanggal_bayar", "kode")]


# --- the citizen's home page -------------------------------------------------------------------
def bagian_portal(subject_id: str) -> list[dict]:
    """The portal home's "Pajak" section: [] until the NIK is activated as NPWP, else one
    summary (NPWP masked, obligations whose return is still to file, codes still payable)."""
    profil = profil_warga(subject_id)
    if profil is None:
        return []
    terbuka = [k for k in kewajiban(profil.wajib_pajak_id) if not k.dilaporkan]
    payable = [k for k in kode_billing(profil.wajib_pajak_id) if k.dapat_dibayar]
    return [{"profil": profil, "kewajiban_terbuka": terbuka, "kode_billing_aktif": payable}]
