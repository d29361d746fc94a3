"""Server-rendered charts for the DJP dashboard: horizontal bars (stacked when a row has more
than one series) as geometry for ``templates/pajak/_grafik.html``, which draws them as
inline SVG. No script and no CDN (the CSP holds); each chart has a ``<title>`` and ``<desc>``
and the page prints its numbers in a table as well."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LEBAR = 640  # viewBox units; the SVG scales to its container
LEBAR_LABEL = 190
LEBAR_NILAI = 130
TINGGI_BARIS = 30
TINGGI_BATANG = 18
TINGGI_LEGENDA = 26

BIRU, HIJAU, ORANYE, MERAH, ABU = "#1d70b8", "#00703c", "#f47738", "#d4351c", "#b1b4b6"


@dataclass(frozen=True)
class Seri:
    nama: str
    warna: str


@dataclass(frozen=True)
class Segmen:
    x: float
    lebar: float
    warna: str
    nilai: int
    nama: str


@dataclass(frozen=True)
class Baris:
    label: str
    y: float  # top of the bar
    teks_y: float  # baseline of its label and value
    total: int
    x_total: float
    segmen: tuple[Segmen, ...]


@dataclass(frozen=True)
class LabelLegenda:
    nama: str
    warna: str
    x: float
    x_teks: float


@dataclass(frozen=True)
class Grafik:
    id: str
    judul: str
    keterangan: str
    uang: bool  # values are rupiah
    x_label: int  # labels end here (right-aligned)
    lebar: int
    tinggi: int
    baris: tuple[Baris, ...]
    legenda: tuple[LabelLegenda, ...]


def grafik_batang(
    *,
    id: str,  # the SVG element id prefix
    judul: str,
    keterangan: str,
    data: Sequence[tuple[str, Sequence[int]]],
    seri: Sequence[Seri],
    uang: bool = False,
) -> Grafik:
    """Bars of ``data`` (label, one value per series), scaled to the largest row total."""
    atas = TINGGI_LEGENDA if len(seri) > 1 else 0
    terbesar = max((sum(nilai) for _, nilai in data), default=0) or 1
    ruang = LEBAR - LEBAR_LABEL - LEBAR_NILAI
    baris = []
    for i, (label, nilai) in enumerate(data):
        y = atas + i * TINGGI_BARIS + (TINGGI_BARIS - TINGGI_BATANG) / 2
        x, segmen = float(LEBAR_LABEL), []
        for s, n in zip(seri, nilai, strict=True):
            lebar = round(ruang * n / terbesar, 2)
            segmen.append(Segmen(x=x, lebar=lebar, warna=s.warna, nilai=n, nama=s.nama))
            x += lebar
        baris.append(
            Baris(
                label=label,
                y=y,
                teks_y=y + TINGGI_BATANG - 4,
                total=sum(nilai),
                x_total=x + 6,
                segmen=tuple(segmen),
            )
        )
    legenda = tuple(
        LabelLegenda(
            nama=s.nama, warna=s.warna, x=LEBAR_LABEL + i * 140, x_teks=LEBAR_LABEL + i * 140 + 20
        )
        for i, s in enumerate(seri)
        if len(seri) > 1
    )
    return Grafik(
        id=id,
        judul=judul,
        keterangan=keterangan,
        uang=uang,
        x_label=LEBAR_LABEL - 8,
        lebar=LEBAR,
        tinggi=atas + max(len(data), 1) * TINGGI_BARIS,
        baris=tuple(baris),
        legenda=legenda,
    )
