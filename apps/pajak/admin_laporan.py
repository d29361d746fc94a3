"""Back office for DJP officers: the monthly receipts (read tables, read-only) and a download
of the monthly report as CSV or XLSX (``laporan.py``), built from the read database only.
Wired by one import in ``admin.py``."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from apps.pajak import laporan, queries
from apps.pajak.projections import bulan
from apps.pajak.read_models import PenerimaanBulanan
from egov import clock
from egov.eventstore.admin import ReadOnlyAdminMixin
from egov.portal.accounts import principal_of


class LaporanForm(forms.Form):
    masa = forms.RegexField(
        label=_("Bulan (TTTT-BB)"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")])


@admin.register(PenerimaanBulanan)
class PenerimaanBulananAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "bulan",
        "jenis_pajak",
        "kode_provinsi",
        "jumlah_rupiah",
        "jumlah_transaksi",
        "jumlah_pembayar",
    )
    list_filter = ("bulan", "jenis_pajak")
    actions = None
    change_list_template = "admin/pajak/penerimaanbulanan/change_list.html"

    def has_module_permission(self, request) -> bool:
        return queries.petugas_djp(principal_of(request))

    def has_view_permission(self, request, obj=None) -> bool:
        return queries.petugas_djp(principal_of(request))

    def get_urls(self):
        unduh = self.admin_site.admin_view(self.laporan_view)
        return [path("laporan/", unduh, name="pajak_laporan_bulanan"), *super().get_urls()]

    def laporan_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = LaporanForm(request.GET or None, initial={"masa": bulan(clock.today())})
        if form.is_valid():
            masa = form.cleaned_data["masa"]
            if form.cleaned_data["format"] == "xlsx":
                return laporan.respons_xlsx(masa)
            return laporan.respons_csv(masa)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Unduh laporan pajak bulanan"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/pajak/laporan_bulanan.html", context)
