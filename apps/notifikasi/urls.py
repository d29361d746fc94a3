"""Portal pages of the notifikasi context (mounted at /notifikasi/): none; citizens see their
notifications in the home page's "Notifikasi" section."""

app_name = "notifikasi"
urlpatterns: list = []
