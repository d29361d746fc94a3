"""Portal pages of the izin context (mounted at /izin/)."""

app_name = "izin"
urlpatterns: list = []
