"""API routes of the pajak context (mounted at /api/v1/pajak/)."""

app_name = "pajak_api"
urlpatterns: list = []
