from django.utils.translation import gettext_lazy as _

from egov.context import ContextConfig, PortalSection


class NotifikasiConfig(ContextConfig):
    name = "apps.notifikasi"
    label = "notifikasi"
    verbose_name = "Notifikasi"
    projectors = ("policies.NotifikasiPolicy", "projections.NotifikasiStatusProjector")
    labels = "queries.LABELS"
    portal_sections = (
        PortalSection(
            "notifikasi",
            _("Notifikasi"),
            "queries.notifikasi_warga",
            "notifikasi/_notifikasi.html",
            80,
        ),
    )
