"""API routes of the audit context (mounted at /api/v1/audit/)."""

app_name = "audit_api"
urlpatterns: list = []
