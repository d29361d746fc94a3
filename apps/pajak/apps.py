from django.apps import AppConfig


class PajakConfig(AppConfig):
    name = "apps.pajak"
    label = "pajak"
    verbose_name = "Pajak (DJP)"

    def ready(self) -> None:
        from apps.pajak.store import store
        from egov.eventstore.store import register_store

        register_store(store)
