from django.utils.translation import gettext_lazy as _

from egov.context import ContextConfig, PortalSection


class IzinConfig(ContextConfig):
    name = "apps.izin"
    label = "izin"
    verbose_name = "Izin usaha (OSS-RBA)"
    projectors = (
        "projections.IzinStatusProjector",
        "projections.DokumenIzinProjector",
        "projections.ReferensiKBLIProjector",
        "policies.IdentitasPolicy",
        "policies.PengirimanPolicy",
    )
    # The fiktif-positif job (PP 28/2025): deadlines missed are deemed approved.
    beat = {"izin-periksa-tenggat": {"task": "izin_periksa_tenggat", "schedule": 300.0}}
    # The KBLI risk table's rows reach the read side as events (pages never read the table).
    after_migrate = ("commands.terbitkan_referensi",)
    labels = "queries.LABELS"
    portal_sections = (
        PortalSection(
            "izin", _("Izin usaha"), "queries.izin_portal", "izin/_bagian_portal.html", 20
        ),
    )
