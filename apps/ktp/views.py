"""Citizen portal pages of the ktp context: apply, list, status with a timeline."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.ktp import commands, queries
from apps.ktp.domain import ALASAN_PENGGANTIAN, BARU, PENGGANTIAN
from egov.eventstore.domain import DomainError
from egov.eventstore.pseudonym import keyed_hash
from egov.portal.accounts import subject_id_of
from egov.web import metadata_from_request

MSG_BUKAN_NIK_ANDA = gettext_lazy("NIK ini bukan NIK yang terdaftar pada akun Anda.")
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


def _citizen(request) -> str:
    subject_id = subject_id_of(request.user)
    if subject_id is None:
        raise Http404
    return subject_id


@login_required
def daftar(request):
    items = queries.permohonan_warga(_citizen(request))
    return render(request, "ktp/daftar.html", {"items": items})


@login_required
def ajukan(request):
    subject_id = _citizen(request)
    form = AjukanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if keyed_hash("".join(data["nik"].split())) != subject_id:
            form.add_error("nik", MSG_BUKAN_NIK_ANDA)
        else:
            try:
                permohonan_id = commands.ktp_ajukan(
                    **data, metadata=metadata_from_request(request, source="portal")
                )
            except DomainError as error:
                form.add_error(None, _(error.message))
            else:
                messages.success(request, MSG_DITERIMA)
                return redirect("ktp:detail", permohonan_id=permohonan_id)
    return render(request, "ktp/ajukan.html", {"form": form})


@login_required
def detail(request, permohonan_id: uuid.UUID):
    status = queries.status_permohonan(permohonan_id)
    if status is None or status.subject_id != _citizen(request):
        raise Http404  # another citizen's request does not exist for this one
    return render(
        request, "ktp/detail.html", {"status": status, "riwayat": queries.riwayat(permohonan_id)}
    )
