"""Citizen portal pages of the izin context (mounted at /izin/). Thin: forms call commands,
pages call queries. A citizen sees only applications filed under their own NIK (hash)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.izin import commands, dokumen, queries
from apps.izin.domain.rules import SKALA
from egov.doors import portal_command
from egov.portal.accounts import principal_of
from egov.principals import NotVisible


class AjukanForm(forms.Form):
    nik = forms.CharField(label=gettext_lazy("NIK pemohon"), max_length=16)
    nama_pemohon = forms.CharField(label=gettext_lazy("Nama pemohon"), max_length=200)
    jenis_pelaku = forms.ChoiceField(
        label=gettext_lazy("Jenis pelaku usaha"),
        choices=[
            ("PERORANGAN", gettext_lazy("Perorangan")),
            ("BADAN_USAHA", gettext_lazy("Badan usaha")),
        ],
    )
    nomor_badan_usaha = forms.CharField(
        label=gettext_lazy("Nomor pengesahan badan hukum"), max_length=50, required=False
    )
    nama_usaha = forms.CharField(label=gettext_lazy("Nama usaha"), max_length=200)
    kbli_kode = forms.CharField(label=gettext_lazy("Kode KBLI (5 digit)"), max_length=5)
    kbli_versi = forms.CharField(label=gettext_lazy("Versi KBLI"), max_length=4, initial="2020")
    kode_wilayah = forms.CharField(label=gettext_lazy("Kode wilayah lokasi usaha"), max_length=10)
    skala = forms.ChoiceField(label=gettext_lazy("Skala usaha"), choices=[(s, s) for s in SKALA])
    nilai_investasi = forms.DecimalField(
        label=gettext_lazy("Nilai investasi (Rp)"), max_digits=20, decimal_places=2
    )


class PerbaikanForm(forms.Form):
    keterangan = forms.CharField(
        label=gettext_lazy("Perbaikan yang Anda lakukan"), widget=forms.Textarea
    )


def _base():
    return select_template(["base.html", "izin/_mandiri.html"])


def _milik(request, permohonan_id: uuid.UUID) -> queries.StatusIzin:
    try:
        return queries.status_untuk(principal_of(request), permohonan_id)
    except NotVisible:
        raise Http404(_("Permohonan izin tidak ditemukan.")) from None


@login_required
def daftar(request):
    subject_id = principal_of(request).subject_id  # "" until the NIK claim is verified
    items = queries.izin_milik(subject_id) if subject_id else []
    return render(request, "izin/daftar.html", {"base_template": _base(), "items": items})


@login_required
def ajukan(request):
    form = AjukanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # a refusal (including "not your verified NIK") becomes the form's error
        permohonan_id = portal_command(request, form, commands.izin_ajukan, **form.cleaned_data)
        if permohonan_id is not None:
            messages.success(request, _("Permohonan izin Anda sudah diterima."))
            return redirect("izin:detail", permohonan_id=permohonan_id)
    return render(request, "izin/ajukan.html", {"base_template": _base(), "form": form})


@login_required
def detail(request, permohonan_id: uuid.UUID):
    status_izin = _milik(request, permohonan_id)
    context = {
        "base_template": _base(),
        "izin": status_izin,
        "riwayat": queries.riwayat_izin(permohonan_id),
        "form": PerbaikanForm(),
    }
    return render(request, "izin/detail.html", context)


@login_required
@require_POST
def perbaikan(request, permohonan_id: uuid.UUID):
    _milik(request, permohonan_id)
    form = PerbaikanForm(request.POST)
    if form.is_valid():
        done = portal_command(
            request,
            form,
            lambda **fields: commands.izin_ajukan_perbaikan(**fields) or True,
            permohonan_id=permohonan_id,
            keterangan=form.cleaned_data["keterangan"],
        )
        if done:
            messages.success(request, _("Perbaikan Anda sudah dikirim."))
        else:
            messages.error(request, " ".join(form.non_field_errors()))
    return redirect("izin:detail", permohonan_id=permohonan_id)


@login_required
def unduh(request, permohonan_id: uuid.UUID) -> HttpResponse:
    _milik(request, permohonan_id)
    found = dokumen.ambil_dokumen(permohonan_id)
    if found is None:
        raise Http404(_("Dokumen izin belum diterbitkan."))
    return dokumen.pdf_response(*found)
