"""Portal pages of the pajak context (mounted at /pajak/): the citizen taxpayer's own pages
and the DJP officers' dashboard. No NIK or NPWP in any path."""

from django.urls import path

from apps.pajak import views

app_name = "pajak"
urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("aktivasi/", views.aktivasi, name="aktivasi"),
    path("kode-billing/", views.buat_kode_billing, name="kode_billing"),
    path("spt/<uuid:kewajiban_id>/", views.lapor, name="lapor"),
    path("dasbor/", views.dasbor, name="dasbor"),
]
