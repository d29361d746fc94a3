"""API routes of the pajak context (mounted at /api/v1/pajak/)."""

from django.urls import path, re_path

from apps.pajak import api

app_name = "pajak_api"
urlpatterns = [
    path("dasbor/", api.PajakDasborApi.as_view(), name="dasbor"),
    re_path(
        r"^laporan/(?P<masa>\d{4}-(?:0[1-9]|1[0-2]))/$",
        api.PajakLaporanApi.as_view(),
        name="laporan",
    ),
]
