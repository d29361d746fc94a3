"""Disbursement rounds in the back office: the list with each round's totals (count and rupiah
per instruction status), "add" builds a draft through ``bansos_buat_siklus``, actions submit,
approve (four eyes: the command refuses the creator), instruct a channel and close (refused
with the figures until reconciled); a round's reconciliation page lists its instructions of
the officer's region, filterable by status. Wired by one import in ``admin.py``."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.bansos import admin_dasbor, commands, queries
from apps.bansos.admin_umum import (
    PROGRAM,
    PetugasKemensosMixin,
    ProgramPeriodeForm,
    filter_kode,
    label,
    label_instruksi,
    label_siklus,
    nama_wilayah,
)
from apps.bansos.domain.rules import (
    DIALIHKAN_KE_POS,
    DIBATALKAN,
    DIBUAT,
    DIKEMBALIKAN,
    GAGAL,
    KANAL,
    TERSALUR,
    TIDAK_DIAMBIL,
)
from apps.bansos.read_models import SiklusRingkas
from egov.doors import admin_command, admin_command_for_each
from egov.eventstore.admin import ActionWithFormMixin, ReadOnlyAdminMixin
from egov.eventstore.domain import DomainError
from egov.portal.accounts import principal_of
from egov.portal.templatetags.egov import rupiah
from egov.principals import AccessDenied

MSG_SIKLUS_DIBUAT = gettext_noop(
    "Siklus penyaluran %(program)s %(periode)s tahap %(tahap)d dibuat sebagai draf."
)
MSG_INSTRUKSI = gettext_noop(
    "%(siklus)s: %(dibuat)d instruksi pembayaran dibuat, %(dilewati)d penerima dilewati."
)
MSG_DILEWATI = gettext_noop("%(siklus)s: penerima %(penerima)s dilewati (%(kode)s).")
MSG_DITUTUP = gettext_noop("%(siklus)s ditutup: %(rupiah)s diinstruksikan, selisih %(selisih)s.")
# The outcomes a round's money ends in, then those still waiting (reconciliation order).
FINAL = (TERSALUR, DIKEMBALIKAN, GAGAL, DIBATALKAN)
BELUM_FINAL = (DIBUAT, TIDAK_DIAMBIL, DIALIHKAN_KE_POS)


def url_dasbor() -> str:
    return reverse("admin:bansos_dasbor")


def url_rekonsiliasi(siklus_id: uuid.UUID) -> str:
    return reverse("admin:bansos_siklusringkas_rekonsiliasi", args=[siklus_id])


class BuatSiklusForm(ProgramPeriodeForm):
    tahap = forms.IntegerField(
        label=_("Tahap penyaluran"),
        min_value=1,
        initial=1,
        help_text=_("1 untuk penyaluran reguler; 2 dan seterusnya untuk susulan."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p, label(p)) for p in PROGRAM]


class KanalForm(forms.Form):
    kanal = forms.ChoiceField(label=_("Kanal penyaluran"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kanal"].choices = [(k, label_instruksi(k)) for k in KANAL]


def _angka(jumlah: int, nilai: int) -> str:
    return f"{jumlah} · {rupiah(nilai)}"


def baris_rekonsiliasi(s: queries.Siklus) -> dict:
    """A round's money as the reconciliation table shows it: instructed, then each outcome
    and each status still waiting, then what is unaccounted for (instructed minus every row,
    which must be Rp0) and whether closing would be accepted (``s.rekonsiliasi.seimbang``)."""
    baris = [
        {"status": k, "nama": label_instruksi(k), "jumlah": s.jumlah[k], "rupiah": s.rupiah[k]}
        for k in (*FINAL, *BELUM_FINAL)
    ]
    r = s.rekonsiliasi
    return {
        "instruksi": {"jumlah": r.jumlah_instruksi, "rupiah": r.diinstruksikan},
        "final": baris[: len(FINAL)],
        "belum_final": baris[len(FINAL) :],
        "selisih": r.diinstruksikan - sum(b["rupiah"] for b in baris),
        "rekonsiliasi": r,
    }


@admin.register(SiklusRingkas)
class SiklusRingkasAdmin(
    PetugasKemensosMixin, ActionWithFormMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """Rounds, the latest period first. A round is national; its totals too."""

    list_display = (
        "judul",
        "nama_status",
        "instruksi",
        "tersalur",
        "dikembalikan",
        "gagal",
        "dibatalkan",
        "belum_final",
        "selisih",
        "rekonsiliasi",
    )
    list_filter = (
        filter_kode("status", _("status"), queries.STATUS_SIKLUS, name=label_siklus),
        filter_kode("program", _("program"), PROGRAM),
        filter_kode("periode", _("periode"), None, name=str),
    )
    ordering = ("-periode", "program", "-tahap")
    actions = ("ajukan", "setujui", "buat_instruksi", "tutup")
    change_form_template = "admin/bansos/siklusringkas/change_form.html"
    change_list_template = "admin/bansos/siklusringkas/change_list.html"
    fields = (
        "judul",
        "nama_status",
        ("dibuat_oleh", "dibuat_pada"),
        ("diajukan_oleh", "diajukan_pada"),
        ("disetujui_oleh", "disetujui_pada"),
        ("ditutup_oleh", "ditutup_pada"),
    )
    readonly_fields = ("judul", "nama_status")

    # -- columns ------------------------------------------------------------------------------
    @admin.display(description=_("siklus"), ordering="periode")
    def judul(self, row: SiklusRingkas) -> str:
        return _g("%(program)s %(periode)s tahap %(tahap)d") % {
            "program": row.program,
            "periode": row.periode,
            "tahap": row.tahap,
        }

    @admin.display(description=_("status"), ordering="status")
    def nama_status(self, row: SiklusRingkas) -> str:
        return label_siklus(row.status)

    @admin.display(description=_("diinstruksikan"))
    def instruksi(self, row: SiklusRingkas) -> str:
        return _angka(row.jumlah_instruksi, row.rupiah_instruksi)

    @admin.display(description=_("tersalur"))
    def tersalur(self, row: SiklusRingkas) -> str:
        return _angka(row.jumlah_disalurkan, row.rupiah_disalurkan)

    @admin.display(description=_("dikembalikan"))
    def dikembalikan(self, row: SiklusRingkas) -> str:
        return _angka(row.jumlah_dikembalikan, row.rupiah_dikembalikan)

    @admin.display(description=_("gagal"))
    def gagal(self, row: SiklusRingkas) -> str:
        return _angka(row.jumlah_gagal, row.rupiah_gagal)

    @admin.display(description=_("dibatalkan"))
    def dibatalkan(self, row: SiklusRingkas) -> str:
        return _angka(row.jumlah_dibatalkan, row.rupiah_dibatalkan)

    @admin.display(description=_("belum final"))
    def belum_final(self, row: SiklusRingkas) -> str:
        jumlah = row.jumlah_menunggu + row.jumlah_tidak_diambil + row.jumlah_dialihkan
        nilai = row.rupiah_menunggu + row.rupiah_tidak_diambil + row.rupiah_dialihkan
        return _angka(jumlah, nilai)

    @admin.display(description=_("selisih"))
    def selisih(self, row: SiklusRingkas) -> str:
        keluar = (
            row.rupiah_disalurkan
            + row.rupiah_dikembalikan
            + row.rupiah_gagal
            + row.rupiah_dibatalkan
            + row.rupiah_menunggu
            + row.rupiah_tidak_diambil
            + row.rupiah_dialihkan
        )
        return rupiah(row.rupiah_instruksi - keluar)

    @admin.display(description=_("rekonsiliasi"))
    def rekonsiliasi(self, row: SiklusRingkas) -> str:
        return format_html('<a href="{}">{}</a>', url_rekonsiliasi(row.siklus_id), _("Buka"))

    # -- pages ---------------------------------------------------------------------------------
    def get_urls(self):
        site = self.admin_site
        return [
            path(
                "<uuid:siklus_id>/rekonsiliasi/",
                site.admin_view(self.rekonsiliasi_view),
                name="bansos_siklusringkas_rekonsiliasi",
            ),
            path(
                "dasbor/",
                site.admin_view(self.dasbor_view),
                name="bansos_dasbor",
            ),
            *super().get_urls(),
        ]

    def dasbor_view(self, request):
        return admin_dasbor.dasbor_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dasbor_url": url_dasbor()}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The approval page: the round's totals, and how many recipients of its programme
        are active now (what an instruction batch would pay, before one is made)."""
        extra_context = dict(extra_context or {})
        row = self.get_object(request, object_id)
        if row is not None and self.has_view_permission(request, row):
            principal = principal_of(request)
            s = queries.siklus(principal, row.siklus_id)
            total = [b for b in queries.dasbor(principal, program=s.program) if not b.kode_provinsi]
            extra_context |= {
                "r": baris_rekonsiliasi(s),
                "penerima_aktif": total[0].aktif if total else 0,
                "rekonsiliasi_url": url_rekonsiliasi(row.siklus_id),
                "subtitle": f"{self.judul(row)} · {label_siklus(row.status)}",
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def rekonsiliasi_view(self, request, siklus_id: uuid.UUID):
        if not self.has_view_permission(request):
            raise PermissionDenied
        status = request.GET.get("status", "")
        status = status if status in queries.STATUS_INSTRUKSI else ""
        try:
            hasil = queries.rekonsiliasi(principal_of(request), siklus_id, status=status)
        except AccessDenied:
            raise PermissionDenied from None
        except DomainError:
            raise Http404 from None
        s = hasil.siklus
        context = {
            **self.admin_site.each_context(request),
            "title": _g("Rekonsiliasi siklus %(siklus)s")
            % {"siklus": f"{s.program} {s.periode} #{s.tahap}"},
            "opts": self.model._meta,
            "siklus": s,
            "nama_status": label_siklus(s.status),
            "r": baris_rekonsiliasi(s),
            "status": status,
            "pilihan_status": [(k, label_instruksi(k)) for k in queries.STATUS_INSTRUKSI],
            "instruksi": [
                {
                    "i": i,
                    "nama_status": label_instruksi(i.status),
                    "nama_kanal": label_instruksi(i.kanal),
                    "provinsi": nama_wilayah(i.kode_provinsi),
                    "penerima_url": reverse(
                        "admin:bansos_usulanringkas_change", args=[i.penerima_id]
                    ),
                }
                for i in hasil.instruksi
            ],
            "wilayah_kantor": principal_of(request).office,
        }
        return TemplateResponse(request, "admin/bansos/rekonsiliasi.html", context)

    # -- "add": a draft round through the command ----------------------------------------------
    def has_add_permission(self, request) -> bool:
        return self.has_view_permission(request)  # the command decides who may build one

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BuatSiklusForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if admin_command(self, request, commands.bansos_buat_siklus, **data) is not None:
                self.message_user(request, _g(MSG_SIKLUS_DIBUAT) % data)
                return redirect("admin:bansos_siklusringkas_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Buat siklus penyaluran"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/bansos/buat_siklus.html", context)

    # -- actions: each calls one command per selected round ------------------------------------
    def row_label(self, row: SiklusRingkas) -> str:
        return f"{row.program} {row.periode} #{row.tahap}"

    def _setiap(self, request, queryset, command, **fields) -> int:
        return admin_command_for_each(
            self,
            request,
            queryset,
            command,
            target=lambda row: {"siklus_id": row.siklus_id},
            label=self.row_label,
            **fields,
        )

    @admin.action(description=_("Ajukan untuk persetujuan"))
    def ajukan(self, request, queryset):
        self._setiap(request, queryset, commands.bansos_ajukan_siklus)

    @admin.action(description=_("Setujui (petugas selain pembuat)"))
    def setujui(self, request, queryset):
        self._setiap(request, queryset, commands.bansos_setujui_siklus)

    @admin.action(description=_("Buat instruksi pembayaran"))
    def buat_instruksi(self, request, queryset):
        return self.action_with_form(
            request,
            queryset,
            KanalForm,
            "buat_instruksi",
            lambda data: self._buat_instruksi(request, queryset, data["kanal"]),
            title=_("Buat instruksi pembayaran"),
        )

    def _buat_instruksi(self, request, queryset, kanal: str) -> None:
        for row in queryset:
            siklus = self.row_label(row)
            hasil = admin_command(
                self,
                request,
                commands.bansos_buat_instruksi,
                label=siklus,
                siklus_id=row.siklus_id,
                kanal=kanal,
            )
            if hasil is None:
                continue
            angka = {"siklus": siklus, "dibuat": len(hasil.dibuat), "dilewati": len(hasil.dilewati)}
            self.message_user(request, _g(MSG_INSTRUKSI) % angka)
            for penerima_id, kode in hasil.dilewati:
                pesan = _g(MSG_DILEWATI) % {
                    "siklus": siklus,
                    "penerima": str(penerima_id)[:8],
                    "kode": kode,
                }
                self.message_user(request, pesan, messages.WARNING)

    @admin.action(description=_("Tutup (rekonsiliasi harus seimbang)"))
    def tutup(self, request, queryset):
        for row in queryset:
            siklus = self.row_label(row)
            r = admin_command(
                self, request, commands.bansos_tutup_siklus, label=siklus, siklus_id=row.siklus_id
            )
            if r is not None:
                angka = {
                    "siklus": siklus,
                    "rupiah": rupiah(r.diinstruksikan),
                    "selisih": rupiah(r.selisih),
                }
                self.message_user(request, _g(MSG_DITUTUP) % angka)
