from django.apps import AppConfig


class IzinConfig(AppConfig):
    name = "apps.izin"
    label = "izin"
    verbose_name = "Izin usaha (OSS-RBA)"

    def ready(self) -> None:
        from apps.izin.store import store
        from egov.eventstore.store import register_store

        register_store(store)
