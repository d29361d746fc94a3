"""Portal pages of the pajak context (mounted at /pajak/)."""

from django.urls import path

from apps.pajak import views

app_name = "pajak"
urlpatterns = [
    path("dasbor/", views.dasbor, name="dasbor"),
]
