from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from apps.audit import tasks  # noqa: F401 - registers the Celery task
        from apps.audit.policies import NotifikasiPolicy, NotifikasiStatusProjector
        from apps.audit.projections import AuditProjector
        from apps.audit.store import store
        from egov.celery import app as celery_app
        from egov.eventstore.projections import register_projector
        from egov.eventstore.store import register_store
        from egov.portal.registry import CitizenSection, register_citizen_section

        register_store(store)
        register_projector(AuditProjector())
        register_projector(NotifikasiPolicy())
        register_projector(NotifikasiStatusProjector())
        schedule = {
            "audit-segel": {"task": "audit_segel", "schedule": settings.AUDIT_SEAL_MINUTES * 60}
        }
        celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **schedule}
        register_citizen_section(
            CitizenSection(
                key="audit-akses",
                title=_("Siapa melihat data saya"),
                provider=_akses,
                template="audit/_akses.html",
                order=90,
            )
        )
        register_citizen_section(
            CitizenSection(
                key="audit-notifikasi",
                title=_("Notifikasi"),
                provider=_notifikasi,
                template="audit/_notifikasi.html",
                order=80,
            )
        )


def _akses(subject_id: str) -> list:
    from apps.audit.queries import siapa_melihat

    return siapa_melihat(subject_id)


def _notifikasi(subject_id: str) -> list:
    from apps.audit.queries import notifikasi_warga

    return notifikasi_warga(subject_id)
