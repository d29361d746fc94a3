"""Portal pages of the ktp context (mounted at /ktp/)."""

from django.urls import path

from apps.ktp import views

app_name = "ktp"
urlpatterns = [
    path("", views.daftar, name="daftar"),
    path("ajukan/", views.ajukan, name="ajukan"),
    path("<uuid:permohonan_id>/", views.detail, name="detail"),
]
