"""The officers' proposal form in the admin ("add" on the proposal queue): a household's KK
number, members' NIKs and bank account typed in clear over TLS, validated and turned into
keyed hashes here (``commands.nik_hash``, ``commands.rekening_hash``), then one call of
``bansos_ajukan_usulan``. The clear numbers reach neither a command nor a table nor a log."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from apps.bansos import commands
from apps.bansos.admin_umum import PROGRAM, ProgramPeriodeForm, label
from apps.bansos.domain.kelayakan import Anggota
from apps.bansos.domain.rules import DESIL_TERENDAH, DESIL_TERTINGGI
from egov.doors import admin_command
from egov.eventstore.domain import InvalidInput
from egov.eventstore.pseudonym import keyed_hash

MSG_USULAN_DIAJUKAN = gettext_noop("Usulan %(program)s %(periode)s diajukan.")
MSG_ANGGOTA_BARIS = gettext_noop(
    "Tulis satu anggota per baris: NIK, lalu komponen PKH bila ada (misalnya SD)."
)


class AjukanUsulanForm(ProgramPeriodeForm):
    nomor_kk = forms.RegexField(
        label=_("Nomor KK"),
        regex=r"^\d{16}$",
        error_messages={"invalid": _("Nomor KK harus 16 digit angka.")},
    )
    anggota = forms.CharField(
        label=_("Anggota keluarga"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(MSG_ANGGOTA_BARIS),
    )
    desil = forms.IntegerField(
        label=_("Desil"), min_value=DESIL_TERENDAH, max_value=DESIL_TERTINGGI
    )
    kode_wilayah = forms.RegexField(
        label=_("Kode desa/kelurahan"),
        regex=r"^\d{10}$",
        error_messages={"invalid": _("Kode desa/kelurahan harus 10 digit angka.")},
    )
    nomor_rekening = forms.CharField(
        label=_("Nomor rekening"),
        max_length=40,
        required=False,
        help_text=_("Rekening tujuan penyaluran; kosongkan bila tunai melalui PT Pos."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p, label(p)) for p in PROGRAM]

    def clean_nomor_kk(self) -> str:
        return keyed_hash(self.cleaned_data["nomor_kk"], purpose="kk")

    def clean_anggota(self) -> tuple[Anggota, ...]:
        anggota = []
        for baris in self.cleaned_data["anggota"].splitlines():
            kolom = baris.split()
            if not kolom:
                continue
            if len(kolom) > 2:
                raise forms.ValidationError(_g(MSG_ANGGOTA_BARIS), code="anggota_tidak_valid")
            try:
                anggota.append(Anggota(commands.nik_hash(kolom[0]), (kolom[1:] or [""])[0]))
            except InvalidInput as error:
                raise forms.ValidationError(_g(error.message), code=error.code) from None
        if not anggota:
            raise forms.ValidationError(_g(MSG_ANGGOTA_BARIS), code="anggota_kosong")
        return tuple(anggota)

    def clean_nomor_rekening(self) -> str:
        nomor = self.cleaned_data["nomor_rekening"].strip()
        if not nomor:
            return ""
        try:
            return commands.rekening_hash(nomor)
        except InvalidInput as error:
            raise forms.ValidationError(_g(error.message), code=error.code) from None

    def perintah(self) -> dict:
        """The command's keyword arguments: hashes only."""
        data = self.cleaned_data
        return {
            "program": data["program"],
            "periode": data["periode"],
            "nomor_kk_hash": data["nomor_kk"],
            "pengurus_nik_hash": data["anggota"][0].nik_hash,
            "anggota": data["anggota"],
            "desil": data["desil"],
            "kode_wilayah": data["kode_wilayah"],
            "rekening_hash": data["nomor_rekening"],
        }


def ajukan_view(modeladmin, request):
    """GET: the empty form; POST: the command, then back to the queue (a refusal is shown and
    the form kept, without the numbers typed in clear being echoed into any log)."""
    form = AjukanUsulanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        perintah = form.perintah()
        if admin_command(modeladmin, request, commands.bansos_ajukan_usulan, **perintah):
            modeladmin.message_user(request, _g(MSG_USULAN_DIAJUKAN) % perintah)
            return redirect("admin:bansos_usulanringkas_changelist")
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Ajukan usulan penerima"),
        "form": form,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/bansos/ajukan_usulan.html", context)
