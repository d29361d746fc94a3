"""Portal pages of the pajak context (mounted at /pajak/)."""

app_name = "pajak"
urlpatterns: list = []
