"""The citizen portal shell: sign-up, home. Contexts add their sections and pages."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from egov.db import atomic
from egov.eventstore.pseudonym import keyed_hash, mask_nik
from egov.portal.accounts import subject_id_of
from egov.portal.forms import SignupForm
from egov.portal.models import CitizenProfile
from egov.portal.registry import citizen_sections

MSG_DAFTAR_BERHASIL = gettext_noop(
    "Akun Anda sudah dibuat. Klaim NIK Anda menunggu verifikasi petugas Dukcapil: datang ke "
    "kantor Dukcapil dengan e-KTP atau Kartu Keluarga. Sampai terverifikasi, data NIK tersebut "
    "belum ditampilkan di akun Anda."
)
MSG_PERINGATAN_NIK = gettext_noop(
    "Periksa kembali NIK Anda: {peringatan} NIK tetap diterima dan akan diperiksa petugas "
    "Dukcapil saat verifikasi."
)


def home(request):
    subject_id = subject_id_of(request.user)  # only once the NIK claim is verified
    claim = getattr(request.user, "citizen", None) if request.user.is_authenticated else None
    sections = (
        [
            {
                "title": section.title,
                "template": section.template,
                "items": section.provider(subject_id),
            }
            for section in citizen_sections()
        ]
        if subject_id
        else []
    )
    context = {"sections": sections, "is_citizen": bool(subject_id), "claim": claim}
    return render(request, "portal/home.html", context)


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with atomic("default"):
            user = form.save()
            nik = form.cleaned_data["nik"]
            CitizenProfile.objects.create(
                user=user, subject_id=keyed_hash(nik), nik_masked=mask_nik(nik)
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _(MSG_DAFTAR_BERHASIL))
        for warning in form.nik_warnings:
            messages.warning(request, _(MSG_PERINGATAN_NIK).format(peringatan=warning))
        return redirect("portal:home")
    return render(request, "portal/signup.html", {"form": form})
