"""API routes of the pajak context (mounted at /api/v1/pajak/). No NIK or NPWP in any path:
a taxpayer is named by its internal id, a billing code by its own number in the body."""

from django.urls import path, re_path

from apps.pajak import api
from apps.pajak import api_wajib_pajak as wp

app_name = "pajak_api"
urlpatterns = [
    path("dasbor/", api.PajakDasborApi.as_view(), name="dasbor"),
    re_path(
        r"^laporan/(?P<masa>\d{4}-(?:0[1-9]|1[0-2]))/$",
        api.PajakLaporanApi.as_view(),
        name="laporan",
    ),
    path("wajib-pajak/", wp.PajakDaftarBadanApi.as_view(), name="daftar_badan"),
    path("wajib-pajak/aktivasi/", wp.PajakAktivasiNpwpApi.as_view(), name="aktivasi"),
    path("wajib-pajak/saya/", wp.PajakWajibPajakSayaApi.as_view(), name="saya"),
    path("wajib-pajak/<uuid:wajib_pajak_id>/", wp.PajakWajibPajakDetailApi.as_view(), name="wp"),
    path(
        "wajib-pajak/<uuid:wajib_pajak_id>/kewajiban/",
        wp.PajakKewajibanApi.as_view(),
        name="kewajiban",
    ),
    path(
        "wajib-pajak/<uuid:wajib_pajak_id>/kode-billing/",
        wp.PajakKodeBillingDaftarApi.as_view(),
        name="kode_billing_daftar",
    ),
    path(
        "wajib-pajak/<uuid:wajib_pajak_id>/pembayaran/",
        wp.PajakPembayaranDaftarApi.as_view(),
        name="pembayaran_daftar",
    ),
    path("kode-billing/", wp.PajakBuatKodeBillingApi.as_view(), name="kode_billing"),
    path("pembayaran/", wp.PajakPembayaranApi.as_view(), name="pembayaran"),
    path("spt/", wp.PajakSPTApi.as_view(), name="spt"),
]
