"""The bansos dashboard in the back office: households and money per programme and province
(``queries.dasbor``, counters moved per event, so a rebuild gives the same page), with bar
charts drawn on the server as inline SVG, the way pajak's dashboard draws them: no script
and no CDN (the CSP holds); each chart has a title and description for screen readers and
the page prints the same numbers in a table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from apps.bansos import queries
from apps.bansos.admin_umum import PROGRAM, label
from egov import wilayah
from egov.portal.accounts import principal_of
from egov.principals import AccessDenied

LEBAR, LEBAR_LABEL, LEBAR_NILAI = 640, 190, 130  # viewBox units; the SVG scales
TINGGI_BARIS, TINGGI_BATANG, TINGGI_LEGENDA = 30, 18, 26
BIRU, HIJAU, ORANYE, MERAH, ABU = "#1d70b8", "#00703c", "#f47738", "#d4351c", "#b1b4b6"


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
    y: float
    teks_y: float
    total: int
    x_total: float
    segmen: tuple[Segmen, ...]


@dataclass(frozen=True)
class Legenda:
    nama: str
    warna: str
    x: float
    x_teks: float


@dataclass(frozen=True)
class Grafik:
    id: str
    judul: str
    keterangan: str
    uang: bool
    x_label: int
    lebar: int
    tinggi: int
    baris: tuple[Baris, ...]
    legenda: tuple[Legenda, ...]


def grafik_batang(
    *,
    id: str,
    judul: str,
    keterangan: str,
    data: Sequence[tuple[str, Sequence[int]]],
    seri: Sequence[tuple[str, str]],
    uang: bool = False,
) -> Grafik:
    """Stacked horizontal bars of ``data`` (label, one value per series ``(name, colour)``),
    scaled to the largest row total."""
    atas = TINGGI_LEGENDA if len(seri) > 1 else 0
    terbesar = max((sum(nilai) for _, nilai in data), default=0) or 1
    ruang = LEBAR - LEBAR_LABEL - LEBAR_NILAI
    baris = []
    for i, (teks, nilai) in enumerate(data):
        y = atas + i * TINGGI_BARIS + (TINGGI_BARIS - TINGGI_BATANG) / 2
        x, segmen = float(LEBAR_LABEL), []
        for (nama, warna), n in zip(seri, nilai, strict=True):
            lebar = round(ruang * n / terbesar, 2)
            segmen.append(Segmen(x=x, lebar=lebar, warna=warna, nilai=n, nama=nama))
            x += lebar
        baris.append(Baris(teks, y, y + TINGGI_BATANG - 4, sum(nilai), x + 6, tuple(segmen)))
    legenda = tuple(
        Legenda(nama, warna, LEBAR_LABEL + i * 110, LEBAR_LABEL + i * 110 + 20)
        for i, (nama, warna) in enumerate(seri)
        if len(seri) > 1
    )
    tinggi = atas + max(len(data), 1) * TINGGI_BARIS
    return Grafik(
        id, judul, keterangan, uang, LEBAR_LABEL - 8, LEBAR, tinggi, tuple(baris), legenda
    )


def grafik(baris: list[queries.BarisDasbor]) -> dict[str, Grafik]:
    per_provinsi = [b for b in baris if b.kode_provinsi]

    def nama(b: queries.BarisDasbor) -> str:
        return f"{b.program} {b.nama_provinsi or b.kode_provinsi}"

    return {
        "penerima": grafik_batang(
            id="grafik-penerima",
            judul=_g("Keluarga penerima per program dan provinsi"),
            keterangan=_g("Penerima aktif, ditangguhkan, graduasi dan dikeluarkan saat ini."),
            data=[
                (nama(b), [b.aktif, b.ditangguhkan, b.digraduasi, b.dikeluarkan])
                for b in per_provinsi
            ],
            seri=[
                (_g("Aktif"), HIJAU),
                (_g("Ditangguhkan"), ORANYE),
                (_g("Graduasi"), BIRU),
                (_g("Dikeluarkan"), MERAH),
            ],
        ),
        "dana": grafik_batang(
            id="grafik-dana",
            judul=_g("Dana per program dan provinsi"),
            keterangan=_g(
                "Rupiah tersalur, dikembalikan ke kas negara, dan sisa instruksi lainnya."
            ),
            data=[
                (
                    nama(b),
                    [
                        b.rupiah_disalurkan,
                        b.rupiah_dikembalikan,
                        max(b.rupiah_instruksi - b.rupiah_disalurkan - b.rupiah_dikembalikan, 0),
                    ],
                )
                for b in per_provinsi
            ],
            seri=[(_g("Tersalur"), HIJAU), (_g("Dikembalikan"), ORANYE), (_g("Lainnya"), ABU)],
            uang=True,
        ),
    }


class DasborForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), required=False, choices=())
    periode = forms.RegexField(
        label=_("Periode dana"),
        regex=r"^\d{4}-(0[1-9]|1[0-2]|TW[1-4])$",
        max_length=8,
        required=False,
        help_text=_("Kosong: semua periode."),
    )
    kode_provinsi = forms.ChoiceField(label=_("Provinsi"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        semua = [("", _g("Semua"))]
        self.fields["program"].choices = semua + [(p, label(p)) for p in PROGRAM]
        provinsi = [(w.kode, w.nama) for w in wilayah.anak("")]
        self.fields["kode_provinsi"].choices = semua + provinsi


def dasbor_view(modeladmin, request):
    """``/admin/bansos/siklusringkas/dasbor/``: officers (the query refuses anyone else)."""
    form = DasborForm(request.GET or None)
    pilihan = form.cleaned_data if form.is_valid() else {}
    try:
        baris = queries.dasbor(
            principal_of(request),
            program=pilihan.get("program", ""),
            periode=pilihan.get("periode", ""),
            kode_provinsi=pilihan.get("kode_provinsi", ""),
        )
    except AccessDenied:
        raise PermissionDenied from None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Dasbor bantuan sosial"),
        "opts": modeladmin.model._meta,
        "form": form,
        "baris": [{"b": b, "nama_program": label(b.program)} for b in baris],
        "grafik": grafik(baris),
    }
    return TemplateResponse(request, "admin/bansos/dasbor.html", context)
