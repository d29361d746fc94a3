"""Read side of the pajak context: plain data from ``pajak_read`` only (never the write
database, never an event): the DJP dashboard (``dasbor``) and the monthly report
(``laporan_bulanan``), both from the pre-aggregated tables of ``read_models.py``.

Tax secrecy (UU KUP Pasal 34): aggregates carry no personal data; the overdue list names a
taxpayer only by its pseudonymous id and regency, and only officers see it, for their office.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy, gettext_noop

from apps.pajak.domain.rules import PPH21, PPH_BADAN, PPH_OP, PPN, Masa
from apps.pajak.projections import bulan
from apps.pajak.read_models import (
    KepatuhanSPT,
    KodeBillingHarian,
    PembayarBulanan,
    PenerimaanBulanan,
    PenerimaanHarian,
    StatusKewajiban,
)
from apps.pajak.roles import SCOPE_BACA, is_petugas
from egov import wilayah
from egov.eventstore.domain import InvalidInput
from egov.principals import Principal, require

NAMA_JENIS_PAJAK = {
    PPH21: gettext_lazy("PPh Pasal 21"),
    PPN: gettext_lazy("PPN"),
    PPH_BADAN: gettext_lazy("PPh Badan"),
    PPH_OP: gettext_lazy("PPh Orang Pribadi"),
}
MSG_BUKAN_PEMBACA = gettext_noop(
    "Hanya petugas DJP atau sistem dengan cakupan pajak:baca yang dapat membaca statistik pajak."
)
MSG_MASA_LAPORAN = gettext_noop("Masa laporan harus satu bulan, berbentuk TTTT-BB.")
TUNGGAKAN_TERATAS = 10
JENDELA_SPT_BULAN = 6  # the dashboard's returns: deadlines from 6 months back to next month


def nama_provinsi(kode: str) -> str:
    return (wilayah.nama(kode) or "") if kode else ""


def nama_jenis_pajak(kode: str) -> str:
    return str(NAMA_JENIS_PAJAK.get(kode, kode))


# --- the dashboard ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Penerimaan:
    """Receipts of one cell: a tax (``kunci`` = its code), a province (its code) or both."""

    jenis_pajak: str
    kode_provinsi: str
    jumlah_rupiah: int
    jumlah_transaksi: int

    @property
    def nama_provinsi(self) -> str:
        return nama_provinsi(self.kode_provinsi)

    @property
    def nama_jenis_pajak(self) -> str:
        return nama_jenis_pajak(self.jenis_pajak)


@dataclass(frozen=True)
class RingkasanPenerimaan:
    jumlah_rupiah: int
    jumlah_transaksi: int
    per_jenis: tuple[Penerimaan, ...]  # kode_provinsi "": every province
    per_provinsi: tuple[Penerimaan, ...]  # jenis_pajak "": every tax
    rinci: tuple[Penerimaan, ...]  # each tax in each province


@dataclass(frozen=True)
class StatusKodeBilling:
    diterbitkan: int
    dibayar: int
    kedaluwarsa: int


@dataclass(frozen=True)
class SPTMasa:
    masa: str
    jenis_pajak: str
    wajib_lapor: int
    tepat_waktu: int
    terlambat: int

    @property
    def belum_lapor(self) -> int:
        return self.wajib_lapor - self.tepat_waktu - self.terlambat

    @property
    def nama_jenis_pajak(self) -> str:
        return nama_jenis_pajak(self.jenis_pajak)


@dataclass(frozen=True)
class Tunggakan:
    """An overdue obligation: named by its pseudonymous taxpayer id only."""

    kewajiban_id: uuid.UUID
    wajib_pajak_id: uuid.UUID
    jenis_pajak: str
    masa: str
    kode_wilayah: str
    tenggat: date
    hari_terlambat: int
    kurang_bayar: int
    denda: int
    tunggakan: int

    @property
    def nama_jenis_pajak(self) -> str:
        return nama_jenis_pajak(self.jenis_pajak)


@dataclass(frozen=True)
class Dasbor:
    hari_ini: date
    bulan: str
    penerimaan_hari_ini: RingkasanPenerimaan
    penerimaan_bulan_ini: RingkasanPenerimaan
    kode_billing_hari_ini: StatusKodeBilling
    kode_billing_bulan_ini: StatusKodeBilling
    spt: tuple[SPTMasa, ...]
    jumlah_tunggakan: int
    tunggakan_teratas: tuple[Tunggakan, ...] | None  # None: not shown to this reader

    def as_dict(self) -> dict:
        return asdict(self)


def _ringkasan(rows) -> RingkasanPenerimaan:
    rinci = tuple(
        Penerimaan(r["jenis_pajak"], r["kode_provinsi"], r["jumlah_rupiah"], r["jumlah_transaksi"])
        for r in rows.order_by("jenis_pajak", "kode_provinsi").values(
            "jenis_pajak", "kode_provinsi", "jumlah_rupiah", "jumlah_transaksi"
        )
    )

    def per(field: str) -> tuple[Penerimaan, ...]:
        totals: dict[str, list[int]] = {}
        for cell in rinci:
            total = totals.setdefault(getattr(cell, field), [0, 0])
            total[0] += cell.jumlah_rupiah
            total[1] += cell.jumlah_transaksi
        largest_first = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return tuple(
            Penerimaan(
                jenis_pajak=key if field == "jenis_pajak" else "",
                kode_provinsi=key if field == "kode_provinsi" else "",
                jumlah_rupiah=rupiah,
                jumlah_transaksi=n,
            )
            for key, (rupiah, n) in largest_first
        )

    return RingkasanPenerimaan(
        jumlah_rupiah=sum(c.jumlah_rupiah for c in rinci),
        jumlah_transaksi=sum(c.jumlah_transaksi for c in rinci),
        per_jenis=per("jenis_pajak"),
        per_provinsi=per("kode_provinsi"),
        rinci=rinci,
    )


def _kode_billing(rows) -> StatusKodeBilling:
    totals = rows.aggregate(
        **{f: Coalesce(Sum(f), 0) for f in ("diterbitkan", "dibayar", "kedaluwarsa")}
    )
    return StatusKodeBilling(**totals)


def _geser_bulan(hari: date, bulan_: int) -> str:
    indeks = hari.year * 12 + hari.month - 1 + bulan_
    return f"{indeks // 12:04d}-{indeks % 12 + 1:02d}"


def _spt(hari_ini: date) -> tuple[SPTMasa, ...]:
    rows = KepatuhanSPT.objects.filter(
        bulan_tenggat__gte=_geser_bulan(hari_ini, -JENDELA_SPT_BULAN),
        bulan_tenggat__lte=_geser_bulan(hari_ini, 1),
    )
    grouped = (
        rows.values("masa", "jenis_pajak")
        .annotate(
            tenggat=Max("bulan_tenggat"),
            wajib=Sum("wajib_lapor"),
            tepat=Sum("tepat_waktu"),
            telat=Sum("terlambat"),
        )
        .order_by("-tenggat", "-masa", "jenis_pajak")
    )
    return tuple(
        SPTMasa(r["masa"], r["jenis_pajak"], r["wajib"], r["tepat"], r["telat"]) for r in grouped
    )


def _tunggakan(hari_ini: date, wilayah_kantor: str) -> tuple[int, tuple[Tunggakan, ...]]:
    rows = StatusKewajiban.objects.filter(tenggat__lt=hari_ini)
    if wilayah_kantor:
        rows = rows.filter(kode_wilayah__startswith=wilayah_kantor)
    teratas = rows.order_by("-tunggakan", "tenggat", "kewajiban_id")[:TUNGGAKAN_TERATAS]
    return rows.aggregate(n=Count("pk"))["n"], tuple(
        Tunggakan(
            kewajiban_id=r.kewajiban_id,
            wajib_pajak_id=r.wajib_pajak_id,
            jenis_pajak=r.jenis_pajak,
            masa=r.masa,
            kode_wilayah=r.kode_wilayah,
            tenggat=r.tenggat,
            hari_terlambat=(hari_ini - r.tenggat).days,
            kurang_bayar=max(r.tunggakan - r.denda, 0),
            denda=r.denda,
            tunggakan=r.tunggakan,
        )
        for r in teratas
    )


def dasbor(hari_ini: date, *, wilayah_kantor: str | None = "") -> Dasbor:
    """The dashboard on ``hari_ini`` (a Jakarta date): receipts today and this month by tax
    and province, billing codes issued / paid / expired, returns on time / late per period and
    tax, and the largest overdue obligations within ``wilayah_kantor`` (a region code prefix,
    "" national; None: the list is left out, the count stays national)."""
    awal_bulan = hari_ini.replace(day=1)
    akhir_bulan = (awal_bulan + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    jumlah, teratas = _tunggakan(hari_ini, wilayah_kantor or "")
    return Dasbor(
        hari_ini=hari_ini,
        bulan=bulan(hari_ini),
        penerimaan_hari_ini=_ringkasan(PenerimaanHarian.objects.filter(tanggal=hari_ini)),
        penerimaan_bulan_ini=_ringkasan(PenerimaanBulanan.objects.filter(bulan=bulan(hari_ini))),
        kode_billing_hari_ini=_kode_billing(KodeBillingHarian.objects.filter(tanggal=hari_ini)),
        kode_billing_bulan_ini=_kode_billing(
            KodeBillingHarian.objects.filter(tanggal__range=(awal_bulan, akhir_bulan))
        ),
        spt=_spt(hari_ini),
        jumlah_tunggakan=jumlah,
        tunggakan_teratas=teratas if wilayah_kantor is not None else None,
    )


def petugas_djp(principal: Principal) -> bool:
    return is_petugas(principal)


def require_pembaca_statistik(principal: Principal) -> None:
    """DJP officers, and integrators holding ``pajak:baca``, read the aggregates."""
    allowed = petugas_djp(principal) or principal.has_scope(SCOPE_BACA)
    require(allowed, MSG_BUKAN_PEMBACA, code="bukan_pembaca_statistik")


def dasbor_untuk(principal: Principal, hari_ini: date) -> Dasbor:
    """The dashboard as this principal may read it: an officer sees the overdue list of their
    office; an integrator sees aggregates only."""
    require_pembaca_statistik(principal)
    return dasbor(hari_ini, wilayah_kantor=principal.office if petugas_djp(principal) else None)


# --- the monthly report ----------------------------------------------------------------------
@dataclass(frozen=True)
class BarisLaporan:
    """One tax in one province for the month (``kode_provinsi`` "" and ``jenis_pajak`` ""
    on the total row). Compliance: returns whose filing deadline fell in the month, filed by
    it, in percent (None when none were due)."""

    masa: str
    jenis_pajak: str
    kode_provinsi: str
    nama_provinsi: str
    jumlah_rupiah: int
    jumlah_transaksi: int
    jumlah_pembayar: int
    wajib_lapor: int
    tepat_waktu: int
    terlambat: int

    @property
    def total(self) -> bool:
        return not self.jenis_pajak and not self.kode_provinsi

    @property
    def tingkat_kepatuhan(self) -> Decimal | None:
        if not self.wajib_lapor:
            return None
        rate = Decimal(self.tepat_waktu * 100) / Decimal(self.wajib_lapor)
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def masa_laporan(teks: str) -> str:
    """``2026-11`` checked: the report is monthly."""
    masa = Masa.parse(teks)
    if masa.tahunan:
        raise InvalidInput(MSG_MASA_LAPORAN, code="masa_laporan_tidak_valid")
    return str(masa)


def _penerimaan_bulan(masa: str) -> Iterator[tuple[tuple[str, str], dict]]:
    rows = PenerimaanBulanan.objects.filter(bulan=masa).order_by("jenis_pajak", "kode_provinsi")
    fields = ("jenis_pajak", "kode_provinsi", "jumlah_rupiah", "jumlah_transaksi")
    for r in rows.values(*fields, "jumlah_pembayar").iterator(chunk_size=2000):
        yield (r["jenis_pajak"], r["kode_provinsi"]), r


def _kepatuhan_bulan(masa: str) -> Iterator[tuple[tuple[str, str], dict]]:
    rows = KepatuhanSPT.objects.filter(bulan_tenggat=masa).values("jenis_pajak", "kode_provinsi")
    grouped = rows.annotate(
        wajib_lapor=Sum("wajib_lapor"), tepat_waktu=Sum("tepat_waktu"), terlambat=Sum("terlambat")
    ).order_by("jenis_pajak", "kode_provinsi")
    for r in grouped.iterator(chunk_size=2000):
        yield (r["jenis_pajak"], r["kode_provinsi"]), r


def _gabung(*streams: Iterator) -> Iterator[tuple[tuple[str, str], dict]]:
    """Merge streams sorted by key; the rows of one key are joined into one."""
    merged = heapq.merge(*streams, key=itemgetter(0))
    for key, group in groupby(merged, key=itemgetter(0)):
        row: dict = {}
        for _key, part in group:
            row.update(part)
        yield key, row


def laporan_bulanan(masa: str) -> Iterator[BarisLaporan]:
    """The monthly report, streamed: one row per tax and province (sorted), then the total
    row (``jenis_pajak`` and ``kode_provinsi`` ""). Receipts, transactions and payers of the
    month (Jakarta payment dates); compliance of the returns whose deadline fell in the
    month. Raises InvalidInput for anything but a month."""
    masa = masa_laporan(masa)
    total = {field: 0 for field in _JUMLAH}
    for (jenis, provinsi), r in _gabung(_penerimaan_bulan(masa), _kepatuhan_bulan(masa)):
        jumlah = {field: r.get(field, 0) for field in _JUMLAH}
        for field, n in jumlah.items():
            total[field] += n
        yield BarisLaporan(masa, jenis, provinsi, nama_provinsi(provinsi), **jumlah)
    # A taxpayer who paid two taxes counts once in the total (not the sum of the rows).
    total["jumlah_pembayar"] = pembayar_bulan(masa)
    yield BarisLaporan(masa, "", "", "", **total)


_JUMLAH = (
    "jumlah_rupiah",
    "jumlah_transaksi",
    "jumlah_pembayar",
    "wajib_lapor",
    "tepat_waktu",
    "terlambat",
)


def pembayar_bulan(masa: str) -> int:
    """Distinct taxpayers who paid any tax in the month."""
    rows = PembayarBulanan.objects.filter(bulan=masa_laporan(masa))
    return rows.values("wajib_pajak_id").distinct().count()
