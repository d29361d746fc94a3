"""Back office of the bansos context for Kemensos officers (group ``petugas_kemensos``): the
proposal queue with each household's eligibility result, the disbursement rounds with their
totals, reconciliation and dashboard (``admin_siklus.py``, ``admin_dasbor.py``), and the
events, read-only.

Every page reads the read tables (``bansos_read``) or ``queries``; every decision is an
action calling one command, whose refusal (four eyes, not eligible, wrong stage, outside the
office's region) is shown as a message. Read rows change only when the projector catches up
with the events the command appended (seconds on the real stack).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.bansos import admin_siklus, admin_usulan, commands, queries
from apps.bansos.admin_umum import (
    PROGRAM,
    PetugasKemensosMixin,
    filter_kode,
    label,
    nama_wilayah,
)
from apps.bansos.domain.rules import ALASAN_PENANGGUHAN, DITERIMA, DITOLAK
from apps.bansos.models import BansosEvent
from apps.bansos.read_models import UsulanRingkas
from egov import wilayah
from egov.doors import admin_command, admin_command_for_each, record_view
from egov.eventstore.admin import ActionWithFormMixin, ReadOnlyAdminMixin, ReadOnlyEventAdmin
from egov.eventstore.domain import DomainError
from egov.portal.accounts import principal_of
from egov.portal.templatetags.egov import rupiah

admin.site.register(BansosEvent, ReadOnlyEventAdmin)

MSG_LAYAK = gettext_noop("%(usulan)s: memenuhi semua syarat kelayakan.")
MSG_TIDAK_LAYAK = gettext_noop("%(usulan)s: tidak memenuhi syarat — %(alasan)s")
MSG_DITANGGUHKAN = gettext_noop("%(usulan)s: ditangguhkan.")
MSG_SUDAH_DITANGGUHKAN = gettext_noop(
    "%(usulan)s: sudah ditangguhkan; alasan pertama tetap berlaku."
)


class PerluTinjauFilter(admin.SimpleListFilter):
    """Households whose last verification raised a review flag (shared bank account, a
    decile not matched with DTSEN)."""

    title = _("perlu ditinjau")
    parameter_name = "perlu_tinjau"

    def lookups(self, request, model_admin):
        return [("1", _("Ya")), ("0", _("Tidak"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.exclude(tinjau=[])
        return queryset.filter(tinjau=[]) if self.value() == "0" else queryset


class KeberatanFilter(admin.SimpleListFilter):
    title = _("keberatan terbuka")
    parameter_name = "keberatan_terbuka"

    def lookups(self, request, model_admin):
        return [("1", _("Ya")), ("0", _("Tidak"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(keberatan_terbuka=self.value() == "1")
        return queryset


class DasarHukumForm(forms.Form):
    dasar_hukum = forms.CharField(
        label=_("Dasar hukum penetapan"),
        max_length=200,
        help_text=_("Nomor dan tanggal SK penetapan penerima."),
    )


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), widget=forms.Textarea)


class KeteranganForm(forms.Form):
    keterangan = forms.CharField(label=_("Keterangan"), widget=forms.Textarea)


class JawabanKeberatanForm(forms.Form):
    """An appeal's answer (its own words: "DITOLAK" of a proposal reads otherwise)."""

    keputusan = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(DITERIMA, _("Keberatan diterima")), (DITOLAK, _("Keberatan ditolak"))],
    )
    jawaban = forms.CharField(
        label=_("Jawaban"),
        widget=forms.Textarea,
        help_text=_("Alasan keputusan, disampaikan kepada keluarga penerima."),
    )


class PenangguhanForm(forms.Form):
    alasan = forms.ChoiceField(label=_("Alasan penangguhan"), choices=())
    keterangan = forms.CharField(
        label=_("Keterangan"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Wajib untuk alasan lain."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alasan"].choices = [(a, label(a)) for a in ALASAN_PENANGGUHAN]


@admin.register(UsulanRingkas)
class UsulanRingkasAdmin(
    PetugasKemensosMixin, ActionWithFormMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """The proposal queue of the officer's region, oldest first; a household's page shows its
    eligibility result (``queries.hasil_kelayakan``), and opening it is recorded for the
    household's pengurus (UU PDP "who viewed my data")."""

    list_display = (
        "nomor",
        "nama_program",
        "periode",
        "desa",
        "nama_status",
        "kelayakan",
        "perlu_tinjau",
        "keberatan",
        "diajukan_pada",
    )
    list_display_links = ("nomor",)
    list_filter = (
        filter_kode("status", _("status"), queries.STATUS_USULAN),
        filter_kode("program", _("program"), PROGRAM),
        filter_kode("periode", _("periode"), None, name=str),
        filter_kode("kode_provinsi", _("provinsi"), None, name=nama_wilayah),
        PerluTinjauFilter,
        KeberatanFilter,
    )
    search_fields = ("=penerima_id", "^kode_wilayah")
    ordering = ("diajukan_pada", "penerima_id")
    actions = (
        "verifikasi",
        "tetapkan",
        "tolak",
        "tangguhkan",
        "aktifkan_kembali",
        "graduasi",
        "keluarkan",
        "jawab_keberatan",
    )
    change_form_template = "admin/bansos/usulanringkas/change_form.html"
    change_list_template = "admin/bansos/usulanringkas/change_list.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "penerima_id",
                    "nama_program",
                    "periode",
                    "wilayah_lengkap",
                    "nama_status",
                    "jumlah_anggota",
                    "keterangan_keputusan",
                    "keberatan",
                )
            },
        ),
        (
            _("Penyaluran"),
            {"fields": ("nominal", "tahap_diterima", "diterima")},
        ),
        (
            _("Petugas"),
            {
                "fields": (
                    ("diajukan_oleh", "diajukan_pada"),
                    ("diverifikasi_oleh", "diverifikasi_pada"),
                    ("diputuskan_oleh", "diputuskan_pada"),
                    "diperbarui_pada",
                )
            },
        ),
    )
    readonly_fields = (
        "nama_program",
        "wilayah_lengkap",
        "nama_status",
        "keterangan_keputusan",
        "keberatan",
        "nominal",
        "diterima",
    )

    # -- "add": the officers' proposal form, through the command (``admin_usulan``) ----------
    def has_add_permission(self, request) -> bool:
        return self.has_view_permission(request)  # the command checks the office's region

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return admin_usulan.ajukan_view(self, request)

    def get_queryset(self, request):
        office = principal_of(request).office
        rows = super().get_queryset(request)
        return rows.filter(kode_wilayah__startswith=office) if office else rows

    # -- columns in words --------------------------------------------------------------------
    @admin.display(description=_("nomor"), ordering="penerima_id")
    def nomor(self, row: UsulanRingkas) -> str:
        return str(row.penerima_id)[:8]

    @admin.display(description=_("program"), ordering="program")
    def nama_program(self, row: UsulanRingkas) -> str:
        return label(row.program)

    @admin.display(description=_("status"), ordering="status")
    def nama_status(self, row: UsulanRingkas) -> str:
        if row.status == "DITANGGUHKAN" and row.alasan_penangguhan:
            return f"{label(row.status)} ({label(row.alasan_penangguhan)})"
        return label(row.status)

    @admin.display(description=_("desa/kelurahan"), ordering="kode_wilayah")
    def desa(self, row: UsulanRingkas) -> str:
        return nama_wilayah(row.kode_wilayah)

    @admin.display(description=_("wilayah"))
    def wilayah_lengkap(self, row: UsulanRingkas) -> str:
        return wilayah.nama_lengkap(row.kode_wilayah) or row.kode_wilayah

    @admin.display(description=_("kelayakan"), ordering="layak")
    def kelayakan(self, row: UsulanRingkas) -> str:
        if row.layak is None:
            return _g("Belum diverifikasi")
        if row.layak:
            return _g("Layak")
        return _g("Tidak layak: %(n)d syarat") % {"n": len({t["kode"] for t in row.gagal})}

    @admin.display(description=_("perlu ditinjau"), boolean=True)
    def perlu_tinjau(self, row: UsulanRingkas) -> bool:
        return bool(row.tinjau)

    @admin.display(description=_("keberatan terbuka"), boolean=True)
    def keberatan(self, row: UsulanRingkas) -> bool:
        return row.keberatan_terbuka

    @admin.display(description=_("keterangan keputusan"))
    def keterangan_keputusan(self, row: UsulanRingkas) -> str:
        return row.keterangan or "-"

    @admin.display(description=_("nominal per tahap"))
    def nominal(self, row: UsulanRingkas) -> str:
        return rupiah(row.nominal_per_tahap)

    @admin.display(description=_("diterima"))
    def diterima(self, row: UsulanRingkas) -> str:
        return rupiah(row.rupiah_diterima)

    # -- the household's page: its eligibility result ----------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if row is not None and self.has_view_permission(request, row):
            principal = principal_of(request)
            extra_context["subtitle"] = f"{self.row_label(row)} · {self.nama_status(row)}"
            try:
                extra_context["hasil"] = queries.hasil_kelayakan(principal, row.penerima_id)
            except DomainError as error:
                self.message_user(request, _g(error.message), messages.ERROR)
            record_view(
                request,
                context="bansos",
                subject_id=row.pengurus_nik_hash,
                door="admin",
                purpose="admin:bansos_usulanringkas_change",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # -- actions: each calls one command per selected household ------------------------------
    def row_label(self, row: UsulanRingkas) -> str:
        return f"{row.program} {row.periode} {str(row.penerima_id)[:8]}"

    def _setiap(self, request, queryset, command, *, kunci="usulan_id", **fields) -> int:
        return admin_command_for_each(
            self,
            request,
            queryset,
            command,
            target=lambda row: {kunci: row.penerima_id},
            label=self.row_label,
            **fields,
        )

    def _setiap_penerima(self, request, queryset, command, data) -> int:
        return self._setiap(request, queryset, command, kunci="penerima_id", **data)

    @admin.action(description=_("Verifikasi kelayakan"))
    def verifikasi(self, request, queryset):
        """The result is told at once (the page shows it once the read side has it)."""
        for row in queryset:
            hasil = admin_command(
                self,
                request,
                commands.bansos_verifikasi_usulan,
                label=self.row_label(row),
                usulan_id=row.penerima_id,
            )
            if hasil is None:
                continue
            usulan = self.row_label(row)
            if hasil.layak:
                self.message_user(request, _g(MSG_LAYAK) % {"usulan": usulan})
                continue
            alasan = "; ".join(dict.fromkeys(_g(t.alasan) for t in hasil.gagal))
            pesan = _g(MSG_TIDAK_LAYAK) % {"usulan": usulan, "alasan": alasan}
            self.message_user(request, pesan, messages.WARNING)

    @admin.action(description=_("Tetapkan sebagai penerima"))
    def tetapkan(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            DasarHukumForm,
            "tetapkan",
            lambda data: self._setiap(request, queryset, commands.bansos_tetapkan_penerima, **data),
            title=_("Penetapan penerima bansos"),
        )

    @admin.action(description=_("Tolak usulan"))
    def tolak(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            AlasanForm,
            "tolak",
            lambda data: self._setiap(request, queryset, commands.bansos_tolak_usulan, **data),
            title=_("Penolakan usulan bansos"),
        )

    @admin.action(description=_("Tangguhkan penerima"))
    def tangguhkan(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            PenangguhanForm,
            "tangguhkan",
            lambda data: self._tangguhkan(request, queryset, data),
            title=_("Penangguhan penerima bansos"),
        )

    def _tangguhkan(self, request, queryset, data) -> None:
        for row in queryset:
            baru = admin_command(
                self,
                request,
                commands.bansos_tangguhkan_penerima,
                label=self.row_label(row),
                penerima_id=row.penerima_id,
                **data,
            )
            if baru is True:
                pesan = _g(MSG_DITANGGUHKAN) % {"usulan": self.row_label(row)}
                self.message_user(request, pesan)
            elif baru is False:
                pesan = _g(MSG_SUDAH_DITANGGUHKAN) % {"usulan": self.row_label(row)}
                self.message_user(request, pesan, messages.WARNING)

    @admin.action(description=_("Aktifkan kembali penerima"))
    def aktifkan_kembali(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            KeteranganForm,
            "aktifkan_kembali",
            lambda data: self._setiap_penerima(
                request, queryset, commands.bansos_aktifkan_kembali_penerima, data
            ),
            title=_("Pengaktifan kembali penerima bansos"),
        )

    @admin.action(description=_("Graduasi penerima"))
    def graduasi(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            KeteranganForm,
            "graduasi",
            lambda data: self._setiap_penerima(
                request, queryset, commands.bansos_graduasi_penerima, data
            ),
            title=_("Graduasi penerima bansos"),
        )

    @admin.action(description=_("Keluarkan dari program"))
    def keluarkan(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            AlasanForm,
            "keluarkan",
            lambda data: self._setiap_penerima(
                request, queryset, commands.bansos_keluarkan_penerima, data
            ),
            title=_("Pengeluaran penerima dari program bansos"),
        )

    @admin.action(description=_("Jawab keberatan"))
    def jawab_keberatan(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            JawabanKeberatanForm,
            "jawab_keberatan",
            lambda data: self._setiap_penerima(
                request, queryset, commands.bansos_jawab_keberatan, data
            ),
            title=_("Jawaban atas keberatan"),
        )

    # -- the admin's own page chrome ---------------------------------------------------------
    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dasbor_url": admin_siklus.url_dasbor()}
        return super().changelist_view(request, extra_context)
