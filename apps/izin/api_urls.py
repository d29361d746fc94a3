"""API routes of the izin context (mounted at /api/v1/izin/)."""

from django.urls import path

from apps.izin import api, api_petugas

app_name = "izin_api"
urlpatterns = [
    path("", api.IzinAjukanApi.as_view(), name="ajukan"),
    path("antrean/", api_petugas.IzinAntreanApi.as_view(), name="antrean"),
    path("ringkasan/", api_petugas.IzinRingkasanApi.as_view(), name="ringkasan"),
    path("verifikasi/<str:kode>/", api.IzinVerifikasiDokumenApi.as_view(), name="verifikasi"),
    path("kbli/", api.IzinKbliApi.as_view(), name="kbli"),
    path("<uuid:permohonan_id>/", api.IzinDetailApi.as_view(), name="detail"),
    path("<uuid:permohonan_id>/riwayat/", api.IzinRiwayatApi.as_view(), name="riwayat"),
    path("<uuid:permohonan_id>/persetujuan/", api.IzinSetujuiApi.as_view(), name="setujui"),
    path("<uuid:permohonan_id>/penolakan/", api.IzinTolakApi.as_view(), name="tolak"),
    path(
        "<uuid:permohonan_id>/permintaan-perbaikan/",
        api.IzinMintaPerbaikanApi.as_view(),
        name="minta-perbaikan",
    ),
    path("<uuid:permohonan_id>/perbaikan/", api.IzinAjukanPerbaikanApi.as_view(), name="perbaikan"),
    path("<uuid:permohonan_id>/pencabutan/", api.IzinCabutApi.as_view(), name="cabut"),
    path("<uuid:permohonan_id>/dokumen/", api.IzinDokumenApi.as_view(), name="dokumen"),
]
