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
        from egov.portal import scopes

        # The feed's scopes follow the published contracts (feed:<ctx>:<EventType> for each),
        # so they are offered beside every other OAuth2 scope, not listed by hand.
        scopes.declare(scope_feed_tersedia(kontrak()))
