from django.apps import AppConfig


class BansosConfig(AppConfig):
    name = "apps.bansos"
    label = "bansos"
    verbose_name = "Bantuan sosial (Kemensos)"

    def ready(self) -> None:
        from apps.bansos.store import store
        from egov.eventstore.store import register_store

        register_store(store)
