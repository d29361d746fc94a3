"""API routes of the izin context (mounted at /api/v1/izin/)."""

app_name = "izin_api"
urlpatterns: list = []
