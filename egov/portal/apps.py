from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "egov.portal"
    label = "portal"
    verbose_name = "Portal warga"

    def ready(self) -> None:
        from egov.portal.token_cache import connect_evictions

        connect_evictions()

    def load_demo(self, stdout) -> None:
        from egov.portal.demo import load_demo

        load_demo(stdout)
