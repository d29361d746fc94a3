"""Portal page "Akses API": a citizen lists, makes and revokes their personal API tokens
(egov/portal/personal_tokens.py). Officers have no such page: their access lives in the
admin, with sessions capped at a working day."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from egov import clock
from egov.eventstore.domain import DomainError
from egov.portal import personal_tokens
from egov.portal.accounts import principal_of
from egov.principals import CITIZEN, NotVisible, Principal

EXAMPLE_PATH = "/api/v1/ktp/permohonan/"  # a citizen's own e-KTP request, by its id


class TokenBaruForm(forms.Form):
    nama = forms.CharField(
        label=gettext_lazy("Nama token"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        help_text=gettext_lazy("Agar Anda mengenalinya nanti, mis. Aplikasi keuangan saya."),
    )


def _citizen(request) -> Principal:
    principal = principal_of(request)
    if principal.kind != CITIZEN:
        raise PermissionDenied(_(personal_tokens.MSG_HANYA_WARGA))
    return principal


@never_cache  # the answer to a POST holds the only copy of a new token: never stored
@login_required
def akses_api(request):
    principal = _citizen(request)
    form = TokenBaruForm(request.POST or None)
    baru = None
    if request.method == "POST" and form.is_valid():
        try:
            baru = personal_tokens.token_pribadi_buat(
                principal=principal, nama=form.cleaned_data["nama"]
            )
        except DomainError as error:
            form.add_error(None, _(error.message))
        else:
            form = TokenBaruForm()
    # Rendered, not redirected: a redirect would carry the token through the session or a
    # cookie (message storage), and egov keeps no clear copy anywhere.
    return render(request, "portal/akses_api.html", _page(request, principal, form, baru))


def _page(request, principal: Principal, form, baru) -> dict:
    now = clock.now()
    statuses = {"aktif": _("Aktif"), "dicabut": _("Dicabut"), "kedaluwarsa": _("Kedaluwarsa")}
    rows = [
        {"token": row, "status": _status(row, now), "label": statuses[_status(row, now)]}
        for row in personal_tokens.token_pribadi_milik(principal=principal)
    ]
    return {
        "form": form,
        "baru": baru,
        "rows": rows,
        "aktif": sum(row["status"] == "aktif" for row in rows),
        "batas": personal_tokens.max_active(),
        "terverifikasi": bool(principal.subject_id),
        "contoh_url": _site(request) + EXAMPLE_PATH,
    }


def _site(request) -> str:
    """The site's configured public address (``EGOV_SITE_URL``, as printed on documents), else
    the address this page was asked at (its host is one of ``ALLOWED_HOSTS``)."""
    configured = getattr(settings, "EGOV_SITE_URL", "")
    return (configured or request.build_absolute_uri("/")).rstrip("/")


def _status(row, now) -> str:
    if row.revoked_at is not None:
        return "dicabut"
    return "aktif" if row.is_active_at(now) else "kedaluwarsa"


@login_required
def akses_api_cabut(request, token_id: int):
    """GET asks for confirmation; POST revokes (CSRF-protected, as every portal form)."""
    principal = _citizen(request)
    try:
        row = personal_tokens.token_pribadi_lihat(principal=principal, token_id=token_id)
    except NotVisible:
        raise Http404(_(personal_tokens.MSG_TOKEN_TIDAK_DITEMUKAN)) from None
    if request.method != "POST":
        return render(request, "portal/akses_api_cabut.html", {"token": row})
    try:
        personal_tokens.token_pribadi_cabut(principal=principal, token_id=row.pk)
    except DomainError as error:
        messages.error(request, _(error.message))
    else:
        messages.success(
            request,
            _("Token %(nama)s dicabut: aplikasi yang memakainya tidak dapat lagi masuk.")
            % {"nama": row.nama},
        )
    return redirect("portal:akses_api")
