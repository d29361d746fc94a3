"""Portal pages of the audit context (mounted at /audit/)."""

app_name = "audit"
urlpatterns: list = []
