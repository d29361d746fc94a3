"""API routes of the audit context (mounted at /api/v1/audit/)."""

from django.urls import path

from apps.audit import api

app_name = "audit_api"
urlpatterns = [path("kunci-publik/", api.KunciPublikApi.as_view(), name="kunci-publik")]
