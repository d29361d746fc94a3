"""Loads pajak's configuration tables (write alias) into the domain's ``KonfigurasiPajak``.

A command calls ``muat_konfigurasi()`` once and passes the result to every rule it runs: one
query per table, nothing cached across calls, so a row an officer adds in the admin applies to
the very next command. Every row is loaded (past and planned): the domain picks the one in
force on the date a tax belongs to, so a return for an old period uses the rules of its time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

from apps.pajak.domain import konfigurasi as k
from apps.pajak.models import (
    AturanTenggat,
    BiayaJabatan,
    DendaTelatLapor,
    HariLibur,
    LapisanPasal17,
    LapisanTER,
    MasaBerlakuBilling,
    PemetaanTER,
    PemetaanTERBaris,
    TabelTER,
    TarifPasal17,
    TarifPPhBadan,
    TarifPPN,
    TarifPTKP,
)

ALIAS = "pajak"
SERATUS = Decimal(100)


def _tarif(persen: Decimal) -> Decimal:
    """Percent as stored (``0.2500``) -> the exact fraction the domain computes with."""
    return (persen / SERATUS).normalize()


def _lapisan(model, induk: str, alias: str) -> dict[int, tuple[k.Lapisan, ...]]:
    """Brackets of every parent row in one query, ascending, the unbounded one last."""
    per_induk: dict[int, list[k.Lapisan]] = defaultdict(list)
    for induk_id, batas_atas, persen in model.objects.using(alias).values_list(
        f"{induk}_id", "batas_atas", "tarif_persen"
    ):
        per_induk[induk_id].append(k.Lapisan(batas_atas, _tarif(persen)))
    terurut = {}
    for induk_id, lapisan in per_induk.items():
        lapisan.sort(key=lambda b: (b.batas_atas is None, b.batas_atas or 0))
        terurut[induk_id] = tuple(lapisan)
    return terurut


def _ter(alias: str) -> tuple[k.TabelTER, ...]:
    lapisan = _lapisan(LapisanTER, "tabel", alias)
    return tuple(
        k.TabelTER(r.kategori, r.berlaku_mulai, lapisan.get(r.pk, ()), r.dasar_hukum)
        for r in TabelTER.objects.using(alias)
    )


def _kategori_ter(alias: str) -> tuple[k.KategoriTER, ...]:
    baris: dict[int, dict[str, str]] = defaultdict(dict)
    for pemetaan_id, status, kategori in PemetaanTERBaris.objects.using(alias).values_list(
        "pemetaan_id", "status_ptkp", "kategori"
    ):
        baris[pemetaan_id][status] = kategori
    return tuple(
        k.KategoriTER(r.berlaku_mulai, MappingProxyType(baris[r.pk]), r.dasar_hukum)
        for r in PemetaanTER.objects.using(alias)
    )


def _pasal17(alias: str) -> tuple[k.TarifPasal17, ...]:
    lapisan = _lapisan(LapisanPasal17, "tarif", alias)
    return tuple(
        k.TarifPasal17(r.berlaku_mulai, lapisan.get(r.pk, ()), r.dasar_hukum)
        for r in TarifPasal17.objects.using(alias)
    )


def _ppn(r: TarifPPN) -> k.TarifPPN:
    return k.TarifPPN(
        r.berlaku_mulai,
        _tarif(r.tarif_persen),
        dpp_non_mewah=Fraction(r.dpp_non_mewah_pembilang, r.dpp_non_mewah_penyebut),
        dpp_mewah=Fraction(r.dpp_mewah_pembilang, r.dpp_mewah_penyebut),
        dasar_hukum=r.dasar_hukum,
    )


def _tenggat(r: AturanTenggat) -> k.AturanTenggat:
    return k.AturanTenggat(
        r.jenis_pajak,
        r.berlaku_mulai,
        bayar=k.Tenggat(r.bayar_bulan_setelah_masa, r.bayar_tanggal),
        lapor=k.Tenggat(r.lapor_bulan_setelah_masa, r.lapor_tanggal),
        dasar_hukum=r.dasar_hukum,
    )


def muat_konfigurasi(alias: str = ALIAS) -> k.KonfigurasiPajak:
    """Every table as the domain reads it (one query per table)."""

    def rows(model):
        return model.objects.using(alias)

    return k.KonfigurasiPajak(
        ter=_ter(alias),
        kategori_ter=_kategori_ter(alias),
        ptkp=tuple(
            k.PTKP(
                r.berlaku_mulai,
                r.wajib_pajak,
                r.kawin,
                r.per_tanggungan,
                r.tanggungan_maks,
                r.dasar_hukum,
            )
            for r in rows(TarifPTKP)
        ),
        pasal17=_pasal17(alias),
        biaya_jabatan=tuple(
            k.BiayaJabatan(r.berlaku_mulai, _tarif(r.persen), r.maks_setahun, r.dasar_hukum)
            for r in rows(BiayaJabatan)
        ),
        ppn=tuple(_ppn(r) for r in rows(TarifPPN)),
        pph_badan=tuple(
            k.TarifPPhBadan(r.berlaku_mulai, _tarif(r.tarif_persen), r.dasar_hukum)
            for r in rows(TarifPPhBadan)
        ),
        masa_berlaku_billing=tuple(
            k.MasaBerlakuBilling(r.berlaku_mulai, timedelta(hours=r.jam), r.dasar_hukum)
            for r in rows(MasaBerlakuBilling)
        ),
        denda=tuple(
            k.DendaTelatLapor(r.jenis_spt, r.berlaku_mulai, r.nominal, r.dasar_hukum)
            for r in rows(DendaTelatLapor)
        ),
        tenggat=tuple(_tenggat(r) for r in rows(AturanTenggat)),
    )


def muat_libur(alias: str = ALIAS) -> frozenset[date]:
    """Every configured holiday (a few dozen a year: no need to narrow the range)."""
    return frozenset(HariLibur.objects.using(alias).values_list("tanggal", flat=True))
