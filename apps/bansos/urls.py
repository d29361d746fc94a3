"""Portal pages of the bansos context (mounted at /bansos/): the citizen's appeal. No NIK or
KK number in any path."""

from django.urls import path

from apps.bansos import views

app_name = "bansos"
urlpatterns = [
    path("keberatan/", views.keberatan, name="keberatan"),
]
