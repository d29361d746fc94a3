"""Portal pages of the ktp context (mounted at /ktp/)."""

app_name = "ktp"
urlpatterns: list = []
