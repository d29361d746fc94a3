"""Back office of the pajak context: the effective-dated configuration tables, holidays, the
identity replica (read-only), the taxpayers of the officer's office with the actions that
call the commands (register a company, confirm a PKP), and the events, read-only.

Configuration rows are effective-dated. A row already in force is read-only and cannot be
deleted: a return for an old period must still be computed with the rules of its time (and
events already record the values they used). A rule changes by *adding* a row with a later
``berlaku_mulai``; a row not yet in force may still be corrected or withdrawn. A new row that
starts today or earlier is accepted with a warning (a regulation published after its
effective date), because it changes how past periods are computed from now on.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from apps.pajak import admin_laporan, commands  # noqa: F401 - admin_laporan: the report's pages
from apps.pajak.models import (
    STATUS_PTKP_CHOICES,
    AturanTenggat,
    BiayaJabatan,
    DendaTelatLapor,
    HariLibur,
    IdentitasDukcapil,
    IndeksWajibPajak,
    LapisanPasal17,
    LapisanTER,
    MasaBerlakuBilling,
    PajakEvent,
    PemetaanTER,
    PemetaanTERBaris,
    TabelTER,
    TarifPasal17,
    TarifPPhBadan,
    TarifPPN,
    TarifPTKP,
)
from apps.pajak.roles import is_petugas
from egov import clock
from egov.doors import CommandActionsMixin
from egov.eventstore.admin import ReadOnlyAdminMixin, ReadOnlyEventAdmin
from egov.eventstore.domain import DomainError
from egov.portal.accounts import principal_of
from egov.web import metadata_from_request

admin.site.register(PajakEvent, ReadOnlyEventAdmin)

MSG_BERLAKU_SURUT = _(
    "Aturan ini berlaku mulai %(tanggal)s, hari ini atau sebelumnya: perhitungan untuk masa "
    "yang sudah lewat memakai aturan ini mulai sekarang; yang sudah tercatat tidak berubah."
)


def sudah_berlaku(row) -> bool:
    return row is not None and row.pk is not None and row.berlaku_mulai <= clock.today()


# --- configuration ------------------------------------------------------------------------------
class BerlakuAdmin(admin.ModelAdmin):
    """An effective-dated table: rows in force are read-only (view only, never deleted)."""

    date_hierarchy = "berlaku_mulai"

    def has_change_permission(self, request, obj=None):
        return not sudah_berlaku(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not sudah_berlaku(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.berlaku_mulai <= clock.today():
            tanggal = obj.berlaku_mulai.isoformat()
            self.message_user(request, MSG_BERLAKU_SURUT % {"tanggal": tanggal}, messages.WARNING)


class BarisInline(admin.TabularInline):
    """Child rows of an effective-dated row: frozen with their parent once it is in force."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not sudah_berlaku(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not sudah_berlaku(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not sudah_berlaku(obj) and super().has_delete_permission(request, obj)


def _baris(formset) -> list[dict]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
    ]


class LapisanFormSet(BaseInlineFormSet):
    """Brackets: distinct upper bounds and exactly one without a bound (the highest)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        batas = [b.get("batas_atas") for b in _baris(self)]
        if batas.count(None) != 1:
            raise ValidationError(_("Harus ada tepat satu lapisan tanpa batas atas."))
        if len(set(batas)) != len(batas):
            raise ValidationError(_("Batas atas setiap lapisan harus berbeda."))


class PemetaanFormSet(BaseInlineFormSet):
    """Every PTKP status mapped exactly once."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        status = sorted(b["status_ptkp"] for b in _baris(self))
        if status != sorted(s for s, _label in STATUS_PTKP_CHOICES):
            raise ValidationError(_("Setiap status PTKP (TK/0 sampai K/3) dipetakan tepat sekali."))


class LapisanTERInline(BarisInline):
    model = LapisanTER
    formset = LapisanFormSet


class LapisanPasal17Inline(BarisInline):
    model = LapisanPasal17
    formset = LapisanFormSet


class PemetaanTERBarisInline(BarisInline):
    model = PemetaanTERBaris
    formset = PemetaanFormSet


@admin.register(TabelTER)
class TabelTERAdmin(BerlakuAdmin):
    list_display = ("kategori", "berlaku_mulai", "dasar_hukum")
    list_filter = ("kategori",)
    inlines = (LapisanTERInline,)


@admin.register(PemetaanTER)
class PemetaanTERAdmin(BerlakuAdmin):
    list_display = ("berlaku_mulai", "dasar_hukum")
    inlines = (PemetaanTERBarisInline,)


@admin.register(TarifPasal17)
class TarifPasal17Admin(BerlakuAdmin):
    list_display = ("berlaku_mulai", "dasar_hukum")
    inlines = (LapisanPasal17Inline,)


@admin.register(TarifPTKP)
class TarifPTKPAdmin(BerlakuAdmin):
    list_display = (
        "berlaku_mulai",
        "wajib_pajak",
        "kawin",
        "per_tanggungan",
        "tanggungan_maks",
        "dasar_hukum",
    )


@admin.register(BiayaJabatan)
class BiayaJabatanAdmin(BerlakuAdmin):
    list_display = ("berlaku_mulai", "persen", "maks_setahun", "dasar_hukum")


@admin.register(TarifPPN)
class TarifPPNAdmin(BerlakuAdmin):
    list_display = ("berlaku_mulai", "tarif_persen", "dpp_non_mewah", "dpp_mewah", "dasar_hukum")

    @admin.display(description=_("DPP non-mewah"))
    def dpp_non_mewah(self, row: TarifPPN) -> str:
        return f"{row.dpp_non_mewah_pembilang}/{row.dpp_non_mewah_penyebut}"

    @admin.display(description=_("DPP mewah"))
    def dpp_mewah(self, row: TarifPPN) -> str:
        return f"{row.dpp_mewah_pembilang}/{row.dpp_mewah_penyebut}"


@admin.register(TarifPPhBadan)
class TarifPPhBadanAdmin(BerlakuAdmin):
    list_display = ("berlaku_mulai", "tarif_persen", "dasar_hukum")


@admin.register(MasaBerlakuBilling)
class MasaBerlakuBillingAdmin(BerlakuAdmin):
    list_display = ("berlaku_mulai", "jam", "dasar_hukum")


@admin.register(DendaTelatLapor)
class DendaTelatLaporAdmin(BerlakuAdmin):
    list_display = ("jenis_spt", "berlaku_mulai", "nominal", "dasar_hukum")
    list_filter = ("jenis_spt",)


@admin.register(AturanTenggat)
class AturanTenggatAdmin(BerlakuAdmin):
    list_display = (
        "jenis_pajak",
        "berlaku_mulai",
        "bayar_bulan_setelah_masa",
        "bayar_tanggal",
        "lapor_bulan_setelah_masa",
        "lapor_tanggal",
        "dasar_hukum",
    )
    list_filter = ("jenis_pajak",)


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    """Holidays: a deadline already computed keeps the calendar it was computed with."""

    list_display = ("tanggal", "keterangan", "dasar_hukum")
    date_hierarchy = "tanggal"
    search_fields = ("keterangan",)


@admin.register(IdentitasDukcapil)
class IdentitasDukcapilAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """pajak's replica of Dukcapil's verifications: written only by the identity policy."""

    list_display = ("nik_hash", "status", "sumber_event_id", "diperbarui_pada")
    list_filter = ("status",)
    search_fields = ("=nik_hash",)


# --- taxpayers: actions call the commands -------------------------------------------------------
class PendaftaranBadanForm(forms.ModelForm):
    """The "add" page of the taxpayers list registers a company through its command: a
    refusal is shown on the form, and nothing is written."""

    npwp = forms.CharField(label=_("NPWP"), max_length=25)
    nama = forms.CharField(label=_("Nama badan"), max_length=200)
    request = None  # set by the admin for the request being served

    class Meta:
        model = IndeksWajibPajak
        fields = ("kode_wilayah",)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            wajib_pajak_id = commands.pajak_daftar_badan(
                principal=principal_of(self.request),
                metadata=metadata_from_request(self.request, source="admin"),
                npwp=data["npwp"],
                nama=data["nama"],
                kode_wilayah=data["kode_wilayah"],
            )
        except DomainError as error:
            raise ValidationError(_g(error.message)) from None
        self.instance = IndeksWajibPajak.objects.get(wajib_pajak_id=wajib_pajak_id)
        return data

    def _post_clean(self):  # the command wrote the row: nothing left to validate or copy
        pass


@admin.register(IndeksWajibPajak)
class IndeksWajibPajakAdmin(CommandActionsMixin, admin.ModelAdmin):
    """Taxpayers of the officer's office (pseudonymous: no name, no number). "Add" registers a
    company; the action confirms PKPs. Rows change only through commands."""

    list_display = ("wajib_pajak_id", "jenis", "kode_wilayah", "terdaftar_pada", "pkp")
    list_filter = ("jenis", "pkp", "peninjauan")
    search_fields = ("=wajib_pajak_id", "^kode_wilayah")
    actions = ("kukuhkan_pkp",)
    command_target = "wajib_pajak_id"
    form = PendaftaranBadanForm

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        principal = principal_of(request)
        return rows.filter(kode_wilayah__startswith=principal.office) if principal.office else rows

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("npwp", "nama", "kode_wilayah")
        return ("wajib_pajak_id", "jenis", "kode_wilayah", "terdaftar_pada", "pkp", "peninjauan")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:  # an existing row is only looked at
            return super().get_form(request, obj, change=change, form=forms.ModelForm, **kwargs)
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_view_permission(self, request, obj=None):
        return is_petugas(principal_of(request)) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_petugas(principal_of(request))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """The command already registered the company (in the form's validation)."""

    def row_label(self, row) -> str:
        return str(row.wajib_pajak_id)

    @admin.action(description=_("Kukuhkan sebagai PKP (hari ini)"))
    def kukuhkan_pkp(self, request, queryset):
        self.run_command(request, queryset, commands.pajak_kukuhkan_pkp)
