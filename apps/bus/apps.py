from django.conf import settings

from egov.context import ContextConfig


class BusConfig(ContextConfig):
    name = "apps.bus"
    label = "bus"
    verbose_name = "Bus antarinstansi"
    projectors = ("projections.BuktiProjector",)
    beat = {"bus-parkir-kedaluwarsa": {"task": "bus_parkir_kedaluwarsa", "schedule": 3600.0}}

    def ready(self) -> None:
        super().ready()
        from apps.bus.roles import scope_feed_tersedia
        from apps.bus.terbitan import kontrak

        # The feed's scopes follow the published contracts (feed:<ctx>:<EventType> for each),
        # so they are offered where every OAuth2 scope is (API_SCOPES), not listed by hand;
        # a scope settings.py describes keeps its description.
        for scope, description in scope_feed_tersedia(kontrak()).items():
            settings.API_SCOPES.setdefault(scope, description)
