"""Portal pages of the bansos context (mounted at /bansos/)."""

app_name = "bansos"
urlpatterns: list = []
