from django.utils.translation import gettext_lazy as _

from egov.context import ContextConfig, PortalSection


class KtpConfig(ContextConfig):
    name = "apps.ktp"
    label = "ktp"
    verbose_name = "e-KTP (Dukcapil)"
    projectors = (
        "projections.StatusKTPProjector",
        "policies.KematianPolicy",
        "policies.KartuKeluargaPolicy",
    )
    # Redo verification/printing a lost message left behind.
    beat = {"ktp-sapu": {"task": "ktp_sapu", "schedule": 60.0}}
    labels = "queries.LABELS"
    portal_sections = (
        PortalSection("ktp", _("e-KTP"), "queries.permohonan_warga", "ktp/_bagian_portal.html", 10),
    )
