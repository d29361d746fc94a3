"""Portal pages of the pajak context (mounted at /pajak/). The DJP dashboard is for officers
(group ``petugas_djp``) only: anyone else signed in gets 403. It reads ``queries.dasbor``
(pre-aggregated read tables) and draws its charts as SVG on the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.pajak import queries
from apps.pajak.grafik import ABU, BIRU, HIJAU, ORANYE, Grafik, Seri, grafik_batang
from egov import clock
from egov.portal.accounts import principal_of

SEGARKAN_DETIK = 30  # the page reloads itself this often (static/pajak/dasbor.js)


def _grafik(d: queries.Dasbor) -> dict[str, Grafik]:
    bulan = d.penerimaan_bulan_ini
    rupiah = [Seri(_("Penerimaan"), BIRU)]
    billing = d.kode_billing_bulan_ini
    return {
        "jenis": grafik_batang(
            id="grafik-jenis",
            judul=_("Penerimaan bulan ini per jenis pajak"),
            keterangan=_("Jumlah rupiah yang diterima bulan ini untuk setiap jenis pajak."),
            data=[(p.nama_jenis_pajak, [p.jumlah_rupiah]) for p in bulan.per_jenis],
            seri=rupiah,
            uang=True,
        ),
        "provinsi": grafik_batang(
            id="grafik-provinsi",
            judul=_("Penerimaan bulan ini per provinsi"),
            keterangan=_("Jumlah rupiah yang diterima bulan ini di setiap provinsi."),
            data=[(p.nama_provinsi or "-", [p.jumlah_rupiah]) for p in bulan.per_provinsi],
            seri=rupiah,
            uang=True,
        ),
        "billing": grafik_batang(
            id="grafik-billing",
            judul=_("Kode billing bulan ini"),
            keterangan=_("Kode billing yang diterbitkan, dibayar dan kedaluwarsa bulan ini."),
            data=[
                (_("Diterbitkan"), [billing.diterbitkan]),
                (_("Dibayar"), [billing.dibayar]),
                (_("Kedaluwarsa"), [billing.kedaluwarsa]),
            ],
            seri=[Seri(_("Kode billing"), BIRU)],
        ),
        "spt": grafik_batang(
            id="grafik-spt",
            judul=_("SPT per masa dan jenis pajak"),
            keterangan=_("SPT yang dilaporkan tepat waktu, terlambat dan belum dilaporkan."),
            data=[
                (f"{s.masa} {s.nama_jenis_pajak}", [s.tepat_waktu, s.terlambat, s.belum_lapor])
                for s in d.spt
            ],
            seri=[
                Seri(_("Tepat waktu"), HIJAU),
                Seri(_("Terlambat"), ORANYE),
                Seri(_("Belum lapor"), ABU),
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
