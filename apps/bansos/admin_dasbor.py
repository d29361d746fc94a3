"""The bansos dashboard in the back office: households and money per programme and province
(``queries.dasbor``, counters moved per event, so a rebuild gives the same page), with bar
charts drawn on the server as inline SVG (``egov.charts``, as pajak's dashboard): no script
and no CDN (the CSP holds); each chart has a title and description for screen readers and
the page prints the same numbers in a table."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from apps.bansos import queries
from apps.bansos.admin_umum import PROGRAM, label
from egov import wilayah
from egov.charts import BLUE, GREEN, GREY, ORANGE, RED, BarChart, Series, bar_chart
from egov.portal.accounts import principal_of
from egov.principals import AccessDenied


def grafik(baris: list[queries.BarisDasbor]) -> dict[str, BarChart]:
    per_provinsi = [b for b in baris if b.kode_provinsi]

    def nama(b: queries.BarisDasbor) -> str:
        return f"{b.program} {b.nama_provinsi or b.kode_provinsi}"

    return {
        "penerima": bar_chart(
            id="grafik-penerima",
            title=_g("Keluarga penerima per program dan provinsi"),
            description=_g("Penerima aktif, ditangguhkan, graduasi dan dikeluarkan saat ini."),
            data=[
                (nama(b), [b.aktif, b.ditangguhkan, b.digraduasi, b.dikeluarkan])
                for b in per_provinsi
            ],
            series=[
                Series(_g("Aktif"), GREEN),
                Series(_g("Ditangguhkan"), ORANGE),
                Series(_g("Graduasi"), BLUE),
                Series(_g("Dikeluarkan"), RED),
            ],
        ),
        "dana": bar_chart(
            id="grafik-dana",
            title=_g("Dana per program dan provinsi"),
            description=_g(
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
            series=[
                Series(_g("Tersalur"), GREEN),
                Series(_g("Dikembalikan"), ORANGE),
                Series(_g("Lainnya"), GREY),
            ],
            money=True,
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
