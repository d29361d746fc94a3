"""Back office of the izin context: officer queues with an SLA countdown, decision actions
that call the commands (and show their refusals), the editable KBLI risk table and SLA, and
the events, read-only."""

from datetime import date

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.izin import commands
from apps.izin.domain.rules import TAHAP_PETUGAS, sisa_hari_kerja
from apps.izin.models import HariLibur, IzinEvent, IzinStatus, RisikoKBLI, TenggatTahap
from egov import clock
from egov.doors import CommandActionsMixin, RecordsViewsMixin
from egov.eventstore.admin import (
    ActionWithFormMixin,
    ReadOnlyAdminMixin,
    ReadOnlyEventAdmin,
)

admin.site.register(IzinEvent, ReadOnlyEventAdmin)


@admin.register(RisikoKBLI)
class RisikoKBLIAdmin(admin.ModelAdmin):
    list_display = (
        "kode",
        "versi",
        "judul",
        "skala",
        "tingkat",
        "otoritas",
        "berlaku_mulai",
        "berlaku_sampai",
    )
    list_filter = ("tingkat", "sektor", "versi")
    search_fields = ("kode", "judul")


@admin.register(TenggatTahap)
class TenggatTahapAdmin(admin.ModelAdmin):
    list_display = ("tahap", "hari_kerja")


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("tanggal", "keterangan")
    date_hierarchy = "tanggal"


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), widget=forms.Textarea)
    dasar_hukum = forms.CharField(label=_("Dasar hukum"), max_length=200)


class CatatanForm(forms.Form):
    catatan = forms.CharField(label=_("Hal yang harus diperbaiki"), widget=forms.Textarea)


@admin.register(IzinStatus)
class IzinStatusAdmin(
    ActionWithFormMixin,
    CommandActionsMixin,
    RecordsViewsMixin,
    ReadOnlyAdminMixin,
    admin.ModelAdmin,
):
    """The officers' queue. Rows are a projection: never edited here, only decided on."""

    list_display = (
        "nama_usaha",
        "kbli_kode",
        "tingkat_risiko",
        "otoritas",
        "tahap",
        "tenggat",
        "sisa_hari",
        "nik_masked",
        "diajukan_pada",
    )
    list_filter = ("tahap", "tingkat_risiko", "otoritas", "sektor")
    search_fields = ("=nib", "=permohonan_id", "nama_usaha")
    ordering = ("tenggat", "diajukan_pada")
    actions = ("setujui", "tolak", "minta_perbaikan", "cabut")
    exclude = ("subject_id", "last_version")

    @admin.display(description=_("sisa hari kerja"))
    def sisa_hari(self, obj: IzinStatus):
        if obj.tahap not in TAHAP_PETUGAS or obj.tenggat is None:
            return "-"
        libur = frozenset(date.fromisoformat(d) for d in obj.libur or ())
        return sisa_hari_kerja(clock.today(), obj.tenggat, libur)

    # -- actions: each calls one command per selected row --------------------------------
    def row_label(self, row) -> str:
        return row.nama_usaha

    @admin.action(description=_("Setujui / verifikasi"))
    def setujui(self, request, queryset):
        self.run_command(request, queryset, commands.izin_setujui)

    @admin.action(description=_("Tolak"))
    def tolak(self, request, queryset):
        return self._with_form(request, queryset, AlasanForm, commands.izin_tolak, "tolak")

    @admin.action(description=_("Minta perbaikan"))
    def minta_perbaikan(self, request, queryset):
        return self._with_form(
            request, queryset, CatatanForm, commands.izin_minta_perbaikan, "minta_perbaikan"
        )

    @admin.action(description=_("Cabut izin (approver)"))
    def cabut(self, request, queryset):
        return self._with_form(request, queryset, AlasanForm, commands.izin_cabut, "cabut")

    def _with_form(self, request, queryset, form_class, command, action: str):
        """An action that needs text from the officer: show a form first, then apply."""
        return self.action_with_form(
            request,
            queryset,
            form_class,
            action,
            lambda data: self.run_command(request, queryset, command, **data),
            title=_("Keputusan atas permohonan izin"),
        )
