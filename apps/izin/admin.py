"""Back office of the izin context: officer queues with an SLA countdown, decision actions
that call the commands (and show their refusals), the editable KBLI risk table and SLA, and
the events, read-only."""

from datetime import date

from django import forms
from django.contrib import admin
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.izin import commands, queries
from apps.izin.dokumen import MSG_DOKUMEN_DIHAPUS
from apps.izin.domain.rules import PERBAIKAN, TAHAP_PETUGAS
from apps.izin.models import (
    HariLibur,
    IzinEvent,
    IzinStatus,
    LampiranPerbaikan,
    RisikoKBLI,
    TenggatTahap,
    lampiran_associated,
)
from apps.izin.store import store
from egov import clock
from egov.db import atomic
from egov.doors import CommandActionsMixin, RecordsViewsMixin, record_view
from egov.eventstore.admin import (
    ActionWithFormMixin,
    ReadOnlyAdminMixin,
    ReadOnlyEventAdmin,
)
from egov.harikerja import sisa_hari_kerja
from egov.portal.accounts import principal_of
from egov.uploads import EXTENSION
from egov.web import metadata_from_request

admin.site.register(IzinEvent, ReadOnlyEventAdmin)

# What an officer reads instead of a stage or risk code: the portal's labels, except where the
# portal speaks to the applicant ("Perlu perbaikan dari Anda").
LABEL_PETUGAS = {**queries.LABELS, PERBAIKAN: _("Menunggu perbaikan dari pemohon")}


def label(code: str) -> str:
    return str(LABEL_PETUGAS.get(code, code)) if code else "-"


class LabelFilter(admin.SimpleListFilter):
    """A filter over a code column, its choices read as labels (the codes present)."""

    parameter_name = ""

    def lookups(self, request, model_admin):
        rows = model_admin.get_queryset(request).order_by()
        codes = rows.values_list(self.parameter_name, flat=True).distinct()
        return [(code, label(code)) for code in sorted(set(codes)) if code]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{self.parameter_name: value}) if value else queryset


class TahapFilter(LabelFilter):
    title = _("tahap")
    parameter_name = "tahap"


class TingkatRisikoFilter(LabelFilter):
    title = _("tingkat risiko")
    parameter_name = "tingkat_risiko"


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

    # Each change is published in the same transaction (``RisikoKBLIDitetapkan`` /
    # ``RisikoKBLIDicabut``): the picker and the API read the published copy, and the
    # audit trail records who changed the table.
    def save_model(self, request, obj, form, change):
        with atomic("izin"):
            super().save_model(request, obj, form, change)
            self._publish(request)

    def delete_model(self, request, obj):
        with atomic("izin"):
            super().delete_model(request, obj)
            self._publish(request)

    def delete_queryset(self, request, queryset):
        with atomic("izin"):
            super().delete_queryset(request, queryset)
            self._publish(request)

    def _publish(self, request) -> None:
        commands.izin_terbitkan_tabel_risiko(
            principal=principal_of(request),
            metadata=metadata_from_request(request, source="admin"),
        )


@admin.register(TenggatTahap)
class TenggatTahapAdmin(admin.ModelAdmin):
    list_display = ("tahap", "hari_kerja")


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("tanggal", "keterangan")
    date_hierarchy = "tanggal"


@admin.register(LampiranPerbaikan)
class LampiranPerbaikanAdmin(RecordsViewsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Documents applicants uploaded with a correction. Opening one's page or downloading it
    is recorded for the citizen ("who viewed my data", UU PDP)."""

    list_display = ("permohonan_id", "nama_berkas", "jenis_media", "ukuran", "diunggah_pada")
    search_fields = ("=permohonan_id", "=sha256")
    exclude = ("isi", "subject_id")
    readonly_fields = ("unduh",)

    def get_urls(self):
        view = self.admin_site.admin_view(self.unduh_view)
        return [
            path("<uuid:pk>/unduh/", view, name="izin_lampiranperbaikan_unduh"),
            *super().get_urls(),
        ]

    @admin.display(description=_("berkas"))
    def unduh(self, obj: LampiranPerbaikan):
        url = reverse("admin:izin_lampiranperbaikan_unduh", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Unduh"))

    def unduh_view(self, request, pk):
        row = self.get_queryset(request).filter(pk=pk).first()
        if row is None or not self.has_view_permission(request, row):
            raise Http404
        isi = store.codec.open_bytes(
            row.subject_id, bytes(row.isi), associated=lampiran_associated(row.pk)
        )
        if isi is None:  # the applicant was erased (UU PDP): the key, hence the file, is gone
            return HttpResponse(
                _(MSG_DOKUMEN_DIHAPUS), status=410, content_type="text/plain; charset=utf-8"
            )
        record_view(
            request,
            context="izin",
            subject_id=row.subject_id,
            door="admin",
            purpose="admin:izin_lampiranperbaikan_unduh",
        )
        response = HttpResponse(isi, content_type=row.jenis_media)
        nama = f"lampiran-{row.permohonan_id}-{row.pk}.{EXTENSION.get(row.jenis_media, 'bin')}"
        response["Content-Disposition"] = f'attachment; filename="{nama}"'
        return response


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
        "label_tingkat_risiko",
        "otoritas",
        "label_tahap",
        "tenggat",
        "sisa_hari",
        "nik_masked",
        "diajukan_pada",
    )
    list_filter = (TahapFilter, TingkatRisikoFilter, "otoritas", "sektor")
    search_fields = ("=nib", "=permohonan_id", "nama_usaha")
    ordering = ("tenggat", "diajukan_pada")
    actions = ("setujui", "tolak", "minta_perbaikan", "cabut")
    exclude = ("subject_id", "last_version", "tahap", "tingkat_risiko")
    readonly_fields = ("label_tahap", "label_tingkat_risiko", "lampiran_perbaikan")

    @admin.display(description=_("lampiran perbaikan"))
    def lampiran_perbaikan(self, obj: IzinStatus):
        """Links to the documents uploaded with corrections (each download is recorded)."""
        rows = LampiranPerbaikan.objects.filter(permohonan_id=obj.permohonan_id)
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:izin_lampiranperbaikan_unduh", args=[row.pk]),
                f"{row.nama_berkas or row.pk} ({row.jenis_media}, {row.ukuran} byte)",
            )
            for row in rows.only("pk", "nama_berkas", "jenis_media", "ukuran")
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "-"

    # The stage and risk level as words, in the list and on the application's page alike.
    @admin.display(description=_("tahap"), ordering="tahap")
    def label_tahap(self, obj: IzinStatus) -> str:
        return label(obj.tahap)

    @admin.display(description=_("tingkat risiko"), ordering="tingkat_risiko")
    def label_tingkat_risiko(self, obj: IzinStatus) -> str:
        return label(obj.tingkat_risiko)

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
