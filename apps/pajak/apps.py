from django.utils.translation import gettext_lazy as _

from egov.context import ContextConfig, PortalSection


class PajakConfig(ContextConfig):
    name = "apps.pajak"
    label = "pajak"
    verbose_name = "Pajak (DJP)"
    projectors = (
        "projections.StatistikPajakProjector",
        "projections.WajibPajakProjector",
        "policies.IdentitasPolicy",
    )
    portal_sections = (
        PortalSection(
            "pajak",
            _("Pajak"),
            "queries_wajib_pajak.bagian_portal",
            "pajak/_bagian_portal.html",
            30,
        ),
    )
    # Beat jobs (each idempotent; egov.clock decides "now"): billing codes expire within
    # minutes of their validity; fines and obligations are decided per Jakarta day, checked
    # hourly so a missed run costs at most an hour.
    beat = {
        "pajak-kedaluwarsakan-billing": {
            "task": "pajak_kedaluwarsakan_billing",
            "schedule": 300.0,
        },
        "pajak-periksa-tenggat-lapor": {"task": "pajak_periksa_tenggat_lapor", "schedule": 3600.0},
        "pajak-timbulkan-kewajiban": {"task": "pajak_timbulkan_kewajiban", "schedule": 3600.0},
    }
