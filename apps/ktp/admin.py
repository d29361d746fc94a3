"""Back office for Dukcapil officers: work queues from the read side; every action calls a
command and shows the command's refusal; events are read-only."""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.ktp import commands, policies, queries
from apps.ktp.domain import ALASAN_NONAKTIF
from apps.ktp.models import KematianTertunda, KtpEvent, RingkasanBlangko, StatusPermohonanKTP
from egov.doors import (
    CommandActionsMixin,
    OfficerQueueAdmin,
    admin_command,
    admin_command_for_each,
)
from egov.eventstore.admin import ActionWithFormMixin, ReadOnlyAdminMixin, ReadOnlyEventAdmin

admin.site.register(KtpEvent, ReadOnlyEventAdmin)


def filter_berlabel(field: str, title) -> type[admin.SimpleListFilter]:
    """A list filter over the codes present in ``field``, offered in words (``?field__exact=``
    as Django's own filter, so saved links keep working)."""

    class FilterBerlabel(admin.SimpleListFilter):
        parameter_name = f"{field}__exact"

        def lookups(self, request, model_admin):
            rows = model_admin.get_queryset(request).order_by(field)
            codes = rows.values_list(field, flat=True).distinct()
            return [(code, queries.label(code)) for code in codes]

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    FilterBerlabel.title = title
    return FilterBerlabel


class RekamForm(forms.Form):
    """The officer uploads the scanner's template file; egov keeps only its SHA-256 (the
    deduplication key), computed here, never typed by hand."""

    MAX_BYTES = 5 * 1024 * 1024

    template = forms.FileField(label=_("Berkas template biometrik dari pemindai"))
    lokasi = forms.CharField(label=_("Lokasi perekaman"), max_length=200)

    def clean_template(self):
        upload = self.cleaned_data["template"]
        if upload.size == 0 or upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Berkas template harus berisi 1 bita sampai 5 MB."))
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def clean(self):
        data = super().clean()
        if "template" in data:
            data["template_hash"] = data.pop("template")
        return data


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan penolakan"), max_length=500)


class NonaktifkanForm(forms.Form):
    alasan = forms.ChoiceField(
        label=_("Alasan penonaktifan"),
        choices=[(code, queries.LABELS_NIK[code]) for code in ALASAN_NONAKTIF],
    )
    keterangan = forms.CharField(
        label=_("Keterangan"), max_length=500, required=False, widget=forms.Textarea
    )


class AktifkanForm(forms.Form):
    keterangan = forms.CharField(label=_("Keterangan"), max_length=500, widget=forms.Textarea)


class JumlahForm(forms.Form):
    jumlah = forms.IntegerField(label=_("Jumlah blangko"), min_value=1, max_value=100000)


@admin.register(StatusPermohonanKTP)
class StatusPermohonanKTPAdmin(OfficerQueueAdmin):
    list_display = (
        "nik_masked",
        "jenis_permohonan",
        "alasan_penggantian",
        "kode_provinsi",
        "status_permohonan",
        "nik",
        "nomor_blangko",
        "diajukan_pada",
    )
    list_filter = (
        filter_berlabel("status", _("Status permohonan")),
        filter_berlabel("status_nik", _("Status NIK")),
        filter_berlabel("jenis", _("Jenis permohonan")),
        "kode_provinsi",
    )
    search_fields = ("=permohonan_id", "nomor_blangko")
    readonly_fields = ("riwayat",)
    exclude = ("subject_id", "last_version")
    actions = ("rekam", "setujui", "tolak", "cetak", "serahkan", "nonaktifkan", "aktifkan")

    @admin.display(description=_("Riwayat (peristiwa, hanya-baca)"))
    def riwayat(self, obj: StatusPermohonanKTP):
        steps = queries.riwayat(obj.permohonan_id)
        return format_html_join(
            "",
            "<div>{} · {} ({}) · {} · {}</div>",
            (
                (s.pada, gettext(s.keterangan), s.jenis, queries.label(s.status), s.officer_id)
                for s in steps
            ),
        )

    @admin.display(description=_("Status permohonan"), ordering="status")
    def status_permohonan(self, obj: StatusPermohonanKTP) -> str:
        return queries.label(obj.status)

    @admin.display(description=_("Jenis permohonan"), ordering="jenis")
    def jenis_permohonan(self, obj: StatusPermohonanKTP) -> str:
        return queries.label(obj.jenis)

    @admin.display(description=_("Alasan penggantian"), ordering="alasan")
    def alasan_penggantian(self, obj: StatusPermohonanKTP) -> str:
        return queries.label(obj.alasan) if obj.alasan else "-"

    @admin.display(description=_("Status NIK"), ordering="status_nik")
    def nik(self, obj: StatusPermohonanKTP) -> str:
        """Shows "Nonaktif (meninggal dunia)" once Dukcapil deactivated the NIK."""
        status = queries.label(obj.status_nik)
        if not obj.alasan_nonaktif:
            return status
        return f"{status} ({queries.label(obj.alasan_nonaktif)})"

    def row_label(self, row) -> str:
        return row.nik_masked

    @admin.action(description=_("Rekam biometrik"))
    def rekam(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            RekamForm,
            "rekam",
            lambda data: self.run_command(request, queryset, commands.ktp_rekam_biometrik, **data),
        )

    @admin.action(description=_("Adjudikasi: bukan duplikat, setujui"))
    def setujui(self, request, queryset):
        self.run_command(request, queryset, commands.ktp_adjudikasi, setujui=True)

    @admin.action(description=_("Adjudikasi: tolak"))
    def tolak(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            AlasanForm,
            "tolak",
            lambda data: self.run_command(
                request, queryset, commands.ktp_adjudikasi, setujui=False, **data
            ),
        )

    @admin.action(description=_("Cetak (memakai blangko)"))
    def cetak(self, request, queryset):
        # ktp_cetak tells an officer why nothing was printed (stage, or no blank left)
        self.run_command(request, queryset, commands.ktp_cetak)

    @admin.action(description=_("Serahkan KTP-el"))
    def serahkan(self, request, queryset):
        self.run_command(request, queryset, commands.ktp_serahkan)

    @admin.action(description=_("Nonaktifkan NIK"))
    def nonaktifkan(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            NonaktifkanForm,
            "nonaktifkan",
            lambda data: self._per_nik(request, queryset, commands.ktp_nonaktifkan_nik, data),
            title=_("Nonaktifkan NIK"),
        )

    @admin.action(description=_("Aktifkan kembali NIK"))
    def aktifkan(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            AktifkanForm,
            "aktifkan",
            lambda data: self._per_nik(request, queryset, commands.ktp_aktifkan_kembali_nik, data),
            title=_("Aktifkan kembali NIK"),
        )

    def _per_nik(self, request, queryset, command, data) -> int:
        """The command once per NIK (two selected requests of one NIK are one NIK)."""
        rows = {row.subject_id: row for row in queryset}.values()
        return admin_command_for_each(
            self,
            request,
            rows,
            command,
            target=lambda row: {"nik_hash": row.subject_id},
            label=self.row_label,
            **data,
        )


@admin.register(RingkasanBlangko)
class RingkasanBlangkoAdmin(ActionWithFormMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The stock's one row appears with the first top-up, so a fresh system tops up through
    "add" (same form, same command); the row itself is never written here."""

    list_display = ("stok", "dicetak", "diperbarui_pada")
    actions = ("tambah",)

    def has_add_permission(self, request):
        return self.has_view_permission(request)  # the command decides who may top up

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = JumlahForm(request.POST or None)
        valid = request.method == "POST" and form.is_valid()
        if valid and self._tambah(request, form.cleaned_data):
            return redirect("admin:ktp_ringkasanblangko_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tambah stok blangko"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "ktp/admin_tambah_blangko.html", context)

    @admin.action(description=_("Tambah stok blangko"))
    def tambah(self, request, queryset):
        return self.action_with_form(
            request, queryset, JumlahForm, "tambah", lambda data: self._tambah(request, data)
        )

    def _tambah(self, request, data) -> bool:
        stock = admin_command(self, request, commands.ktp_tambah_blangko, **data)
        if stock is not None:
            self.message_user(request, _("Stok blangko sekarang %(n)d.") % {"n": stock})
        return stock is not None


@admin.register(KematianTertunda)
class KematianTertundaAdmin(CommandActionsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Dead letters of the bus: deaths reported by an agency that e-KTP could not apply (the
    NIK unknown here). An officer retries once the NIK is known; nothing is ever dropped."""

    list_display = (
        "nik_pendek",
        "instansi",
        "tanggal_kematian",
        "galat",
        "percobaan",
        "diterapkan",
        "dicatat_pada",
    )
    list_filter = ("diterapkan", "instansi")
    search_fields = ("=nik_hash", "=message_id")
    actions = ("coba_lagi",)
    command_target = "bus_event_id"

    @admin.display(description=_("NIK (hash)"))
    def nik_pendek(self, obj) -> str:
        return f"{obj.nik_hash[:12]}…"

    @admin.action(description=_("Coba terapkan lagi"))
    def coba_lagi(self, request, queryset):
        for row in queryset.filter(diterapkan=False):
            if (
                admin_command(
                    self, request, policies.coba_lagi_kematian, bus_event_id=row.bus_event_id
                )
                is False
            ):
                self.message_user(
                    request,
                    gettext("%(nik)s: belum dapat diterapkan (%(galat)s).")
                    % {"nik": self.nik_pendek(row), "galat": row.galat},
                    messages.WARNING,
                )
