"""API routes of the ktp context (mounted at /api/v1/ktp/)."""

app_name = "ktp_api"
urlpatterns: list = []
