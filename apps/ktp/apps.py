from django.apps import AppConfig


class KtpConfig(AppConfig):
    name = "apps.ktp"
    label = "ktp"
    verbose_name = "e-KTP (Dukcapil)"

    def ready(self) -> None:
        from apps.ktp.store import store
        from egov.eventstore.store import register_store

        register_store(store)
