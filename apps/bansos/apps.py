from egov.context import ContextConfig


class BansosConfig(ContextConfig):
    name = "apps.bansos"
    label = "bansos"
    verbose_name = "Bantuan sosial (Kemensos)"
    projectors = ("projections.RingkasanBansosProjector", "policies.IdentitasPolicy")
