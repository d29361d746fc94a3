"""Citizen portal pages of the izin context (mounted at /izin/). Thin: forms call commands,
pages call queries. A citizen sees only applications filed under their own NIK (hash)."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseGone
from django.shortcuts import redirect, render
from django.template import engines
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST

from apps.izin import commands, dokumen, pemohon, queries, referensi
from apps.izin.domain.rules import MSG_KBLI_TIDAK_VALID, SKALA
from egov.doors import portal_command
from egov.portal.accounts import principal_of
from egov.principals import MSG_NIK_BELUM_TERVERIFIKASI, NotVisible
from egov.uploads import read_bounded, size_label
from egov.wilayah import KECAMATAN, KELURAHAN
from egov.wilayah_forms import WilayahField

MSG_KBLI_TIDAK_DIKENAL = gettext_noop(
    "Kode KBLI %(kode)s tidak dikenal dalam tabel risiko KBLI %(versi)s. Ketik kode 5 digit "
    "dari daftar KBLI, atau cari dengan kata dari nama kegiatan usaha Anda."
)

# 410 for what was erased at its owner's request: the error pages' frame, one sentence.
HALAMAN_DIHAPUS = engines["django"].from_string(
    '{% extends "error_base.html" %}'
    "{% block title %}{{ judul }}{% endblock %}{% block heading %}{{ judul }}{% endblock %}"
    '{% block body %}<p class="govuk-body">{{ pesan }}</p>{% endblock %}'
)
JUDUL_DOKUMEN_DIHAPUS = gettext_noop("Dokumen dihapus")
JUDUL_DATA_DIHAPUS = gettext_noop("Data pribadi dihapus")


def _dihapus(request, judul: str, pesan: str) -> HttpResponseGone:
    return HttpResponseGone(HALAMAN_DIHAPUS.render({"judul": _(judul), "pesan": _(pesan)}, request))


class KBLIInput(forms.TextInput):
    """A code typed (and checked by the form) without JavaScript; with it, izin/kbli.js fills
    the datalist from ``GET /api/v1/izin/kbli/`` and explains the chosen code's risk level."""

    template_name = "izin/widgets/kbli.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        widget_id = attrs.get("id") or f"id_{name}"
        described = [attrs.get("aria-describedby", ""), f"{widget_id}-penjelasan"]
        attrs.update(
            {
                "id": widget_id,
                "list": f"{widget_id}-daftar",
                "aria-describedby": " ".join(filter(None, described)),
                "data-kbli-cari": reverse("izin_api:kbli"),
                "data-kbli-label-risiko": _("Tingkat risiko"),
            }
        )
        return context


class AjukanForm(forms.Form):
    """The applicant is the signed-in citizen: no NIK is asked (their verified one is used)."""

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
    kbli_kode = forms.CharField(
        label=gettext_lazy("Kode KBLI (5 digit)"),
        max_length=5,
        widget=KBLIInput(attrs={"autocomplete": "off", "inputmode": "search"}),
        help_text=gettext_lazy("Ketik kode atau kata dari nama kegiatan usaha untuk mencari."),
    )
    kbli_versi = forms.CharField(label=gettext_lazy("Versi KBLI"), max_length=4, initial="2020")
    # OSS-RBA records where the business is down to the village: a district or a village code.
    kode_wilayah = WilayahField(
        label=gettext_lazy("Kode wilayah lokasi usaha"), tingkat=(KECAMATAN, KELURAHAN)
    )
    skala = forms.ChoiceField(label=gettext_lazy("Skala usaha"), choices=[(s, s) for s in SKALA])
    nilai_investasi = forms.DecimalField(
        label=gettext_lazy("Nilai investasi (Rp)"), max_digits=20, decimal_places=2
    )
    # shown (as a checkbox) only once the same business was found applied for already
    konfirmasi_ganda = forms.BooleanField(
        label=gettext_lazy("Saya tetap ingin mengajukan permohonan baru untuk usaha ini."),
        required=False,
        widget=forms.HiddenInput,
    )

    def clean(self):
        data = super().clean()
        kode, versi = data.get("kbli_kode", "").strip(), data.get("kbli_versi", "").strip()
        if kode and not (len(kode) == 5 and kode.isdigit()):
            self.add_error("kbli_kode", _(MSG_KBLI_TIDAK_VALID))
        elif kode and versi and not referensi.kbli_dikenal(kode, versi=versi):
            self.add_error("kbli_kode", _(MSG_KBLI_TIDAK_DIKENAL) % {"kode": kode, "versi": versi})
        return data

    def minta_konfirmasi_ganda(self) -> None:
        self.fields["konfirmasi_ganda"].widget = forms.CheckboxInput()


class PerbaikanForm(forms.Form):
    keterangan = forms.CharField(
        label=gettext_lazy("Perbaikan yang Anda lakukan"), widget=forms.Textarea
    )
    lampiran = forms.FileField(
        label=gettext_lazy("Dokumen pendukung (jika diminta)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        maks = size_label(settings.IZIN_UNGGAH_MAKS_BYTES)
        self.fields["lampiran"].help_text = _("PDF, JPEG atau PNG, paling besar %(maks)s.") % {
            "maks": maks
        }


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


def _ajukan_atau_ganda(**fields) -> uuid.UUID | commands.PermohonanGanda:
    """The application's id, or the duplicate it would be (shown as a warning, not an error)."""
    try:
        return commands.izin_ajukan(**fields)
    except commands.PermohonanGanda as ganda:
        return ganda


@login_required
def ajukan(request):
    form = AjukanForm(request.POST or None)
    nik_tersamar, ganda = pemohon.nik_tersamar(request), None
    if request.method == "POST" and form.is_valid():
        # a refusal (including "your NIK is not verified yet") becomes the form's error
        hasil = portal_command(
            request, form, _ajukan_atau_ganda, nik_masked=nik_tersamar, **form.cleaned_data
        )
        if isinstance(hasil, commands.PermohonanGanda):
            ganda = hasil
            form.minta_konfirmasi_ganda()
        elif hasil is not None:
            messages.success(request, _("Permohonan izin Anda sudah diterima."))
            return redirect("izin:detail", permohonan_id=hasil)
    context = {
        "base_template": _base(),
        "form": form,
        "nik_tersamar": nik_tersamar,
        "nik_belum_terverifikasi": _(MSG_NIK_BELUM_TERVERIFIKASI),
        "ganda": ganda,
    }
    return render(request, "izin/ajukan.html", context)


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


def _perbaikan_atau_dihapus(**fields) -> bool | commands.PemohonDihapus:
    """True once sent, or the refusal for an erased applicant (a page, not a form error)."""
    try:
        commands.izin_ajukan_perbaikan(**fields)
    except commands.PemohonDihapus as dihapus:
        return dihapus
    return True


@login_required
@require_POST
def perbaikan(request, permohonan_id: uuid.UUID):
    _milik(request, permohonan_id)
    form = PerbaikanForm(request.POST, request.FILES)
    if form.is_valid():
        berkas = form.cleaned_data["lampiran"]
        done = portal_command(
            request,
            form,
            _perbaikan_atau_dihapus,
            permohonan_id=permohonan_id,
            keterangan=form.cleaned_data["keterangan"],
            lampiran=read_bounded(berkas, settings.IZIN_UNGGAH_MAKS_BYTES) if berkas else None,
        )
        if isinstance(done, commands.PemohonDihapus):  # nothing to correct on this page: 410
            return _dihapus(request, JUDUL_DATA_DIHAPUS, done.message)
        if done:
            messages.success(request, _("Perbaikan Anda sudah dikirim."))
            return redirect("izin:detail", permohonan_id=permohonan_id)
    # the refusal (file too large, of a wrong type, infected; wrong stage) as a message
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, " ".join(errors))
    return redirect("izin:detail", permohonan_id=permohonan_id)


@login_required
def unduh(request, permohonan_id: uuid.UUID) -> HttpResponse:
    _milik(request, permohonan_id)
    try:
        found = dokumen.ambil_dokumen(permohonan_id)
    except dokumen.DokumenDihapus as exc:
        return _dihapus(request, JUDUL_DOKUMEN_DIHAPUS, exc.message)
    if found is None:
        raise Http404(_("Dokumen izin belum diterbitkan."))
    return dokumen.pdf_response(*found)
