"""Portal pages of the bansos context (mounted at /bansos/): a citizen's appeal
(``KeberatanDiajukan``) on a household they are a member of, reached from the home page's
"Bantuan sosial" section. Thin: the households come from ``queries.bantuan_warga`` (the read
side), the form calls ``commands.bansos_ajukan_keberatan`` through ``portal_command`` (a
refusal becomes the form's error). Households are named by their internal id in the form's
body, never by a NIK or KK number, and never in a URL.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.bansos import commands, queries
from apps.bansos.domain.penerima import SETELAH_PENETAPAN
from egov.doors import portal_command
from egov.portal.accounts import principal_of
from egov.principals import MSG_NIK_BELUM_TERVERIFIKASI

MSG_KEBERATAN_DIAJUKAN = gettext_noop(
    "Keberatan Anda atas %(bantuan)s sudah dikirim. Dinas sosial akan menjawabnya."
)
MSG_KHUSUS_WARGA = gettext_noop("Halaman ini untuk warga penerima bantuan sosial.")


def _nama(b: queries.BantuanSaya) -> str:
    return f"{b.nama_program} {b.periode} ({b.nama_status})"


class KeberatanForm(forms.Form):
    penerima_id = forms.TypedChoiceField(
        label=gettext_lazy("Bantuan yang Anda ajukan keberatan"), coerce=uuid.UUID
    )
    alasan = forms.CharField(
        label=gettext_lazy("Alasan keberatan"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=gettext_lazy(
            "Tuliskan mengapa keputusan itu keliru, misalnya anggota keluarga yang tercatat "
            "meninggal padahal masih hidup."
        ),
    )

    def __init__(self, *args, bantuan: list[queries.BantuanSaya], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penerima_id"].choices = [(str(b.penerima_id), _nama(b)) for b in bantuan]


@login_required
def keberatan(request):
    """The citizen's households that can be appealed (decided ones: active, suspended,
    graduated or exited), a reason, and the appeal sent to the dinas sosial."""
    principal = principal_of(request)
    if principal.is_officer:
        raise PermissionDenied(_(MSG_KHUSUS_WARGA))
    bantuan = [
        b for b in queries.bantuan_warga(principal.subject_id) if b.status in SETELAH_PENETAPAN
    ]
    form = KeberatanForm(request.POST or None, bantuan=bantuan)
    if request.method == "POST" and form.is_valid():
        portal_command(request, form, commands.bansos_ajukan_keberatan, **form.cleaned_data)
        if not form.errors:  # the command returns nothing; a refusal is the form's error
            dipilih = next(b for b in bantuan if b.penerima_id == form.cleaned_data["penerima_id"])
            messages.success(request, _(MSG_KEBERATAN_DIAJUKAN) % {"bantuan": _nama(dipilih)})
            return redirect("portal:home")
    context = {
        "form": form,
        "bantuan": bantuan,
        "belum_terverifikasi": not principal.subject_id,
        "msg_belum_terverifikasi": _(MSG_NIK_BELUM_TERVERIFIKASI),
    }
    return render(request, "bansos/keberatan.html", context)
