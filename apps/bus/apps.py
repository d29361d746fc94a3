from egov.context import ContextConfig


class BusConfig(ContextConfig):
    name = "apps.bus"
    label = "bus"
    verbose_name = "Bus antarinstansi"
    projectors = ("projections.BuktiProjector",)
    beat = {"bus-parkir-kedaluwarsa": {"task": "bus_parkir_kedaluwarsa", "schedule": 3600.0}}
