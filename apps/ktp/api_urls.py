"""API routes of the ktp context (mounted at /api/v1/ktp/)."""

from django.urls import path

from apps.ktp import api

app_name = "ktp_api"
urlpatterns = [
    path("permohonan/", api.KtpAjukanApi.as_view(), name="ajukan"),
    path("permohonan/daftar/", api.KtpDaftarApi.as_view(), name="daftar"),
    path("permohonan/cari/", api.KtpCariApi.as_view(), name="cari"),
    path("permohonan/<uuid:permohonan_id>/", api.KtpDetailApi.as_view(), name="detail"),
    path("permohonan/<uuid:permohonan_id>/riwayat/", api.KtpRiwayatApi.as_view(), name="riwayat"),
    path(
        "permohonan/<uuid:permohonan_id>/biometrik/",
        api.KtpRekamBiometrikApi.as_view(),
        name="biometrik",
    ),
    path(
        "permohonan/<uuid:permohonan_id>/adjudikasi/",
        api.KtpAdjudikasiApi.as_view(),
        name="adjudikasi",
    ),
    path(
        "permohonan/<uuid:permohonan_id>/penyerahan/",
        api.KtpPenyerahanApi.as_view(),
        name="penyerahan",
    ),
    path("blangko/", api.KtpBlangkoApi.as_view(), name="blangko"),
]
