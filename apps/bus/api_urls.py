"""API routes of the bus context (mounted at /api/v1/bus/). No NIK in any path: a message is
named by the id its sender chose."""

from django.urls import path

from apps.bus import api

app_name = "bus_api"
urlpatterns = [
    path("pesan/", api.BusPesanApi.as_view(), name="pesan"),
    path("bukti/<uuid:message_id>/", api.BusBuktiApi.as_view(), name="bukti"),
]
