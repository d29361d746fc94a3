"""Portal pages of the pajak context (mounted at /pajak/).

- The DJP dashboard (``dasbor``) is for officers (group ``petugas_djp``) only: anyone else
  signed in gets 403. It reads ``queries.dasbor`` (pre-aggregated read tables) and draws its
  charts as SVG on the server.
- A citizen taxpayer's own pages: activate their verified NIK as NPWP, their obligations,
  billing codes (the time left to pay each, computed on the server), payments and returns,
  create a billing code, file a simple return. Thin: forms call commands through
  ``portal_command`` (a refusal becomes the form's error), pages call
  ``queries_wajib_pajak``; another taxpayer's obligation is a 404.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from apps.pajak import commands, queries
from apps.pajak import queries_wajib_pajak as catatan
from apps.pajak.api_wajib_pajak import lapor_spt
from apps.pajak.domain.rules import JENIS_PAJAK, OP, PPN
from egov import clock
from egov.charts import BLUE, GREEN, GREY, ORANGE, BarChart, Series, bar_chart
from egov.doors import portal_command
from egov.portal.accounts import principal_of
from egov.portal.templatetags.egov import rupiah
from egov.principals import MSG_NIK_BELUM_TERVERIFIKASI

SEGARKAN_DETIK = 30  # the page reloads itself this often (static/pajak/dasbor.js)
MSG_NPWP_AKTIF = gettext_noop("NIK Anda sudah aktif sebagai NPWP.")
MSG_KODE_DIBUAT = gettext_noop(
    "Kode billing %(kode)s untuk %(jumlah)s dibuat, %(sisa)s. Bayar di bank atau kantor pos "
    "persepsi."
)
MSG_SPT_DILAPORKAN = gettext_noop("SPT dilaporkan. Nomor bukti penerimaan elektronik: %(bpe)s.")
MSG_SPT_MENUNGGU = gettext_noop(
    "SPT menunggu pembayaran: bayar kode billing %(kode)s sebesar %(jumlah)s (%(sisa)s). SPT "
    "dilaporkan otomatis begitu bank melaporkan pembayarannya."
)


def _grafik(d: queries.Dasbor) -> dict[str, BarChart]:
    bulan = d.penerimaan_bulan_ini
    rupiah = [Series(_("Penerimaan"), BLUE)]
    billing = d.kode_billing_bulan_ini
    return {
        "jenis": bar_chart(
            id="grafik-jenis",
            title=_("Penerimaan bulan ini per jenis pajak"),
            description=_("Jumlah rupiah yang diterima bulan ini untuk setiap jenis pajak."),
            data=[(p.nama_jenis_pajak, [p.jumlah_rupiah]) for p in bulan.per_jenis],
            series=rupiah,
            money=True,
        ),
        "provinsi": bar_chart(
            id="grafik-provinsi",
            title=_("Penerimaan bulan ini per provinsi"),
            description=_("Jumlah rupiah yang diterima bulan ini di setiap provinsi."),
            data=[(p.nama_provinsi or "-", [p.jumlah_rupiah]) for p in bulan.per_provinsi],
            series=rupiah,
            money=True,
        ),
        "billing": bar_chart(
            id="grafik-billing",
            title=_("Kode billing bulan ini"),
            description=_("Kode billing yang diterbitkan, dibayar dan kedaluwarsa bulan ini."),
            data=[
                (_("Diterbitkan"), [billing.diterbitkan]),
                (_("Dibayar"), [billing.dibayar]),
                (_("Kedaluwarsa"), [billing.kedaluwarsa]),
            ],
            series=[Series(_("Kode billing"), BLUE)],
        ),
        "spt": bar_chart(
            id="grafik-spt",
            title=_("SPT per masa dan jenis pajak"),
            description=_("SPT yang dilaporkan tepat waktu, terlambat dan belum dilaporkan."),
            data=[
                (f"{s.masa} {s.nama_jenis_pajak}", [s.tepat_waktu, s.terlambat, s.belum_lapor])
                for s in d.spt
            ],
            series=[
                Series(_("Tepat waktu"), GREEN),
                Series(_("Terlambat"), ORANGE),
                Series(_("Belum lapor"), GREY),
            ],
        ),
    }


@login_required
def dasbor(request):
    principal = principal_of(request)
    if not queries.petugas_djp(principal):
        raise PermissionDenied(_("Halaman ini hanya untuk petugas DJP."))
    d = queries.dasbor(clock.today(), wilayah_kantor=principal.office)
    laporan = reverse("pajak_api:laporan", kwargs={"masa": d.bulan})
    context = {
        "d": d,
        "grafik": _grafik(d),
        "segarkan": SEGARKAN_DETIK,
        "laporan_csv": f"{laporan}?format=csv",
        "laporan_xlsx": f"{laporan}?format=xlsx",
    }
    return render(request, "pajak/dasbor.html", context)


# --- the citizen taxpayer ----------------------------------------------------------------------
class AktivasiForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        max_length=20,
        help_text=gettext_lazy("Ketik NIK akun Anda yang sudah diverifikasi Dukcapil."),
    )
    nama = forms.CharField(label=gettext_lazy("Nama lengkap sesuai KTP-el"), max_length=200)


class KodeBillingForm(forms.Form):
    jenis_pajak = forms.ChoiceField(label=gettext_lazy("Jenis pajak"))
    masa = forms.CharField(
        label=gettext_lazy("Masa pajak"),
        max_length=7,
        help_text=gettext_lazy("Bulanan TTTT-BB (mis. 2026-11) atau tahunan TTTT (mis. 2025)."),
    )
    nominal = forms.IntegerField(label=gettext_lazy("Jumlah (Rp)"), min_value=1, max_value=10**15)

    def __init__(self, *args, pkp: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis_pajak"].choices = [
            (kode, queries.nama_jenis_pajak(kode))
            for kode, jenis in JENIS_PAJAK.items()
            if jenis.untuk in (None, OP) and (kode != PPN or pkp)
        ]


class SPTForm(forms.Form):
    pajak_terutang = forms.IntegerField(
        label=gettext_lazy("Pajak terutang (Rp)"), min_value=0, max_value=10**15
    )
    kredit_pajak = forms.IntegerField(
        label=gettext_lazy("Kredit pajak (Rp)"),
        min_value=0,
        max_value=10**15,
        initial=0,
        help_text=gettext_lazy("Pajak yang sudah dipotong atau dibayar sendiri sebelumnya."),
    )


def _profil(request) -> catatan.ProfilWP | None:
    """The signed-in citizen's own registration; officers have their own pages (403)."""
    principal = principal_of(request)
    if principal.is_officer:
        raise PermissionDenied(_("Halaman ini untuk wajib pajak orang pribadi."))
    return catatan.profil_warga(principal.subject_id)


@login_required
def beranda(request):
    profil = _profil(request)
    if profil is None:
        return redirect("pajak:aktivasi")
    kewajiban = catatan.kewajiban(profil.wajib_pajak_id)
    kode_billing = catatan.kode_billing(profil.wajib_pajak_id)
    context = {
        "profil": profil,
        "kewajiban": kewajiban,
        "spt": [k for k in kewajiban if k.status_spt],
        "kode_billing": kode_billing,
        "pembayaran": catatan.pembayaran(profil.wajib_pajak_id),
    }
    return render(request, "pajak/beranda.html", context)


@login_required
def aktivasi(request):
    if _profil(request) is not None:
        return redirect("pajak:beranda")
    form = AktivasiForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # a refusal (not your NIK, not verified by Dukcapil, deactivated) is the form's error
        done = portal_command(request, form, commands.pajak_aktifkan_npwp, **form.cleaned_data)
        if done is not None:
            messages.success(request, _(MSG_NPWP_AKTIF))
            return redirect("pajak:beranda")
    context = {
        "form": form,
        "belum_terverifikasi": not principal_of(request).subject_id,
        "msg_belum_terverifikasi": _(MSG_NIK_BELUM_TERVERIFIKASI),
    }
    return render(request, "pajak/aktivasi.html", context)


@login_required
def buat_kode_billing(request):
    profil = _profil(request)
    if profil is None:
        return redirect("pajak:aktivasi")
    form = KodeBillingForm(request.POST or None, pkp=profil.pkp)
    if request.method == "POST" and form.is_valid():
        kode = portal_command(request, form, commands.pajak_buat_kode_billing, **form.cleaned_data)
        if kode is not None:
            messages.success(request, _(MSG_KODE_DIBUAT) % _kata_kode(kode))
            return redirect("pajak:beranda")
    return render(request, "pajak/kode_billing.html", {"form": form})


def _kata_kode(kode: commands.KodeBillingTerbit) -> dict[str, str]:
    sisa = catatan.sisa_berlaku(kode.kedaluwarsa, clock.now())
    return {"kode": kode.kode, "jumlah": rupiah(kode.nominal), "sisa": sisa}


@login_required
def lapor(request, kewajiban_id: uuid.UUID):
    profil = _profil(request)
    mine = catatan.kewajiban(profil.wajib_pajak_id) if profil else []
    kewajiban = next((k for k in mine if k.kewajiban_id == kewajiban_id), None)
    if kewajiban is None:
        raise Http404(_(commands.MSG_KEWAJIBAN_TIDAK_DITEMUKAN))  # another taxpayer's, or none
    form = SPTForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hasil = portal_command(
            request, form, lapor_spt, kewajiban_id=kewajiban_id, **form.cleaned_data
        )
        if hasil is not None:
            if hasil.kode_billing is None:
                messages.success(request, _(MSG_SPT_DILAPORKAN) % {"bpe": hasil.bpe})
            else:
                messages.success(request, _(MSG_SPT_MENUNGGU) % _kata_kode(hasil.kode_billing))
            return redirect("pajak:beranda")
    return render(request, "pajak/lapor.html", {"form": form, "kewajiban": kewajiban})
