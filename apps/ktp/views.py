"""Citizen portal pages of the ktp context: apply, list, status with a timeline."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from apps.ktp import commands, queries
from apps.ktp.domain import ALASAN_PENGGANTIAN, BARU, PENGGANTIAN
from egov.doors import portal_command
from egov.portal.accounts import principal_of
from egov.principals import NotVisible

MSG_DITERIMA = gettext_lazy("Permintaan diterima. Status dapat dipantau di halaman ini.")


class AjukanForm(forms.Form):
    jenis = forms.ChoiceField(
        label=gettext_lazy("Jenis permohonan"),
        choices=[(BARU, gettext_lazy("KTP-el baru")), (PENGGANTIAN, gettext_lazy("Penggantian"))],
    )
    alasan = forms.ChoiceField(
        label=gettext_lazy("Alasan penggantian"),
        required=False,
        choices=[("", "-"), *[(a, a.replace("_", " ").title()) for a in ALASAN_PENGGANTIAN]],
    )
    nik = forms.CharField(label="NIK", max_length=20)
    nama = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=200)
    tanggal_lahir = forms.DateField(label=gettext_lazy("Tanggal lahir (YYYY-MM-DD)"))
    pernah_kawin = forms.BooleanField(label=gettext_lazy("Sudah/pernah kawin"), required=False)


@login_required
def daftar(request):
    subject_id = principal_of(request).subject_id  # "" until the NIK claim is verified
    items = queries.permohonan_warga(subject_id) if subject_id else []
    return render(request, "ktp/daftar.html", {"items": items})


@login_required
def ajukan(request):
    form = AjukanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # a refusal (including "not your verified NIK") becomes the form's error
        permohonan_id = portal_command(request, form, commands.ktp_ajukan, **form.cleaned_data)
        if permohonan_id is not None:
            messages.success(request, MSG_DITERIMA)
            return redirect("ktp:detail", permohonan_id=permohonan_id)
    return render(request, "ktp/ajukan.html", {"form": form})


@login_required
def detail(request, permohonan_id: uuid.UUID):
    try:
        status = queries.status_untuk(principal_of(request), permohonan_id)
    except NotVisible:
        raise Http404 from None  # another citizen's request does not exist for this one
    return render(
        request, "ktp/detail.html", {"status": status, "riwayat": queries.riwayat(permohonan_id)}
    )
