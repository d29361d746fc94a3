from django.apps import AppConfig


class CrudBaselineConfig(AppConfig):
    name = "bench.crud_baseline"
    label = "crud_baseline"
    default_auto_field = "django.db.models.BigAutoField"
