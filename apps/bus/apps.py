from egov.context import ContextConfig


class BusConfig(ContextConfig):
    name = "apps.bus"
    label = "bus"
    verbose_name = "Bus antarinstansi"
    projectors = ("projections.BuktiProjector",)
