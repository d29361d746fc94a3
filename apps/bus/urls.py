"""Portal pages of the bus context (mounted at /bus/): none, agencies use the API."""

app_name = "bus"
urlpatterns: list = []
