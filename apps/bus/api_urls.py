"""API routes of the bus context (mounted at /api/v1/bus/)."""

app_name = "bus_api"
urlpatterns: list = []
