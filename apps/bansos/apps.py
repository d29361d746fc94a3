from django.utils.translation import gettext_lazy as _

from egov.context import ContextConfig, PortalSection


class BansosConfig(ContextConfig):
    name = "apps.bansos"
    label = "bansos"
    verbose_name = "Bantuan sosial (Kemensos)"
    projectors = (
        "projections.RingkasanBansosProjector",
        "policies.IdentitasPolicy",
        "policies.PemilikUsahaPolicy",
        "policies.KartuKeluargaPolicy",
        "policies.SekolahPolicy",
    )
    portal_sections = (
        PortalSection(
            "bansos",
            _("Bantuan sosial"),
            "queries.bagian_portal",
            "bansos/_bagian_portal.html",
            40,
        ),
    )
