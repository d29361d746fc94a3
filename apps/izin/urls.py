"""Portal pages of the izin context (mounted at /izin/)."""

from django.urls import path

from apps.izin import views

app_name = "izin"
urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("ajukan/", views.ajukan, name="ajukan"),
    path("<uuid:permohonan_id>/", views.detail, name="detail"),
    path("<uuid:permohonan_id>/perbaikan/", views.perbaikan, name="perbaikan"),
    path("<uuid:permohonan_id>/dokumen/", views.unduh, name="dokumen"),
]
