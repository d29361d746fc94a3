from django.utils.translation import gettext_lazy as _

from egov.context import ContextConfig, PortalSection


class AuditConfig(ContextConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit"
    projectors = ("projections.AuditProjector",)
    beat = "tasks.jadwal"  # seal the chain head every AUDIT_SEAL_MINUTES
    portal_sections = (
        PortalSection(
            "audit-akses",
            _("Siapa melihat data saya"),
            "queries.siapa_melihat",
            "audit/_akses.html",
            90,
        ),
    )
