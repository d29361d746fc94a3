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

from apps.izin import commands, dokumen, queries
from apps.izin.dokumen import MSG_DOKUMEN_DIHAPUS
from apps.izin.domain.rules import PERBAIKAN, TAHAP_PETUGAS
from apps.izin.models import (
    HariLibur,
    IzinEvent,
    IzinStatus,
    RisikoKBLI,
    TenggatTahap,
)
from egov import clock
from egov.db import atomic
from egov.doors import OfficerQueueAdmin, record_view
from egov.eventstore.admin import ReadOnlyEventAdmin
from egov.harikerja import sisa_hari_kerja
from egov.portal.accounts import principal_of
from egov.portal.templatetags.egov import waktu
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


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), widget=forms.Textarea)
    dasar_hukum = forms.CharField(label=_("Dasar hukum"), max_length=200)


class CatatanForm(forms.Form):
    catatan = forms.CharField(label=_("Hal yang harus diperbaiki"), widget=forms.Textarea)


@admin.register(IzinStatus)
class IzinStatusAdmin(OfficerQueueAdmin):
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

    def get_urls(self):
        view = self.admin_site.admin_view(self.lampiran_view)
        return [
            path(
                "<uuid:permohonan_id>/lampiran/<uuid:lampiran_id>/",
                view,
                name="izin_izinstatus_lampiran",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("lampiran perbaikan"))
    def lampiran_perbaikan(self, obj: IzinStatus):
        """Links to the documents uploaded with corrections, from the timeline (read side);
        each download is recorded for the citizen."""
        steps = queries.lampiran_perbaikan(obj.permohonan_id)
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:izin_izinstatus_lampiran", args=[obj.permohonan_id, step.id]),
                _("Lampiran %(pada)s, SHA-256 %(sha)s…")
                % {
                    "pada": waktu(step.pada),
                    "sha": step.sha256[:12],
                },
            )
            for step in steps
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "-"

    def lampiran_view(self, request, permohonan_id, lampiran_id):
        """One correction document: only on an application this officer may see, only one
        its timeline names; the bytes opened by id from the document store."""
        row = self.get_queryset(request).filter(permohonan_id=permohonan_id).first()
        if row is None or not self.has_view_permission(request, row):
            raise Http404
        if lampiran_id not in {s.id for s in queries.lampiran_perbaikan(permohonan_id)}:
            raise Http404
        lampiran = dokumen.buka_lampiran(permohonan_id, lampiran_id)
        if lampiran is None:
            raise Http404
        if lampiran.isi is None:  # the applicant was erased (UU PDP): key and file are gone
            return HttpResponse(
                _(MSG_DOKUMEN_DIHAPUS), status=410, content_type="text/plain; charset=utf-8"
            )
        record_view(
            request,
            context="izin",
            subject_id=lampiran.subject_id,
            door="admin",
            purpose="admin:izin_izinstatus_lampiran",
        )
        response = HttpResponse(lampiran.isi, content_type=lampiran.jenis_media)
        ext = EXTENSION.get(lampiran.jenis_media, "bin")
        nama = f"lampiran-{permohonan_id}-{lampiran_id}.{ext}"
        response["Content-Disposition"] = f'attachment; filename="{nama}"'
        return response

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
