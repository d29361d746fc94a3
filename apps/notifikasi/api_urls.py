"""API routes of the notifikasi context (mounted at /api/v1/notifikasi/): none yet."""

app_name = "notifikasi_api"
urlpatterns: list = []
