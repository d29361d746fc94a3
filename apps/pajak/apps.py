from egov.context import ContextConfig


class PajakConfig(ContextConfig):
    name = "apps.pajak"
    label = "pajak"
    verbose_name = "Pajak (DJP)"
    projectors = ("projections.StatistikPajakProjector",)
