"""What the bansos admin pages share: codes in words, list filters over codes, and the rule
that these pages are for Kemensos officers."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.bansos import queries
from apps.bansos.domain.rules import (
    BLT,
    BPNT,
    DIAJUKAN,
    DIALIHKAN_KE_POS,
    DIBATALKAN,
    DIBUAT,
    DIKEMBALIKAN,
    DISALURKAN,
    DISETUJUI,
    DITUTUP,
    DRAF,
    GAGAL,
    PKH,
    POS,
    TERSALUR,
    TIDAK_DIAMBIL,
)
from apps.bansos.roles import is_petugas
from egov import wilayah
from egov.portal.accounts import principal_of

PROGRAM = (PKH, BPNT, BLT)
# A round's and an instruction's statuses in words (local: DIAJUKAN means "proposed,
# awaiting verification" for a household and "submitted for approval" for a round).
LABEL_SIKLUS = {
    DRAF: _("Draf"),
    DIAJUKAN: _("Diajukan, menunggu persetujuan"),
    DISETUJUI: _("Disetujui, siap dibuat instruksi"),
    DISALURKAN: _("Sedang disalurkan"),
    DITUTUP: _("Ditutup, rekonsiliasi seimbang"),
}
LABEL_INSTRUKSI = {
    DIBUAT: _("Menunggu laporan kanal"),
    TERSALUR: _("Tersalur"),
    GAGAL: _("Gagal disalurkan"),
    TIDAK_DIAMBIL: _("Tidak diambil"),
    DIALIHKAN_KE_POS: _("Dialihkan ke PT Pos"),
    DIKEMBALIKAN: _("Dikembalikan ke kas negara"),
    DIBATALKAN: _("Dibatalkan"),
    POS: _("PT Pos Indonesia"),
}


def label(code: str) -> str:
    """A household's status, a programme or a suspension reason in words."""
    return queries.label(code) if code else "-"


def label_siklus(code: str) -> str:
    return str(LABEL_SIKLUS.get(code, code)) if code else "-"


def label_instruksi(code: str) -> str:
    return str(LABEL_INSTRUKSI.get(code, code)) if code else "-"


def nama_wilayah(kode: str) -> str:
    return (wilayah.nama(kode) or kode) if kode else "-"


def filter_kode(field: str, title, codes, name=label) -> type[admin.SimpleListFilter]:
    """A filter over a code column offered in words (``?field__exact=``, as Django's own):
    ``codes`` in that order, or those present in the rows the officer may see (None)."""

    class FilterKode(admin.SimpleListFilter):
        parameter_name = f"{field}__exact"

        def lookups(self, request, model_admin):
            present = codes
            if codes is None:
                rows = model_admin.get_queryset(request).order_by(field)
                present = rows.values_list(field, flat=True).distinct()
            return [(code, name(code)) for code in present]

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    FilterKode.title = title
    return FilterKode


class PetugasKemensosMixin:
    """Pages for Kemensos officers; the read side and the commands refuse anyone else anyway."""

    def has_module_permission(self, request) -> bool:
        return is_petugas(principal_of(request)) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        allowed = is_petugas(principal_of(request))
        return allowed or super().has_view_permission(request, obj)


class ProgramPeriodeForm(forms.Form):
    """The programme and period an officer's form is about (a proposal, a round); the
    programme choices are filled by the view from the configuration."""

    program = forms.ChoiceField(label=_("Program"), choices=())
    periode = forms.RegexField(
        label=_("Periode"),
        regex=r"^\d{4}-(0[1-9]|1[0-2]|TW[1-4])$",
        max_length=8,
        help_text=_("TTTT-BB untuk program bulanan (2025-03), TTTT-TWn untuk triwulanan."),
    )
