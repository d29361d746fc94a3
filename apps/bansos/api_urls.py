"""API routes of the bansos context (mounted at /api/v1/bansos/)."""

app_name = "bansos_api"
urlpatterns: list = []
