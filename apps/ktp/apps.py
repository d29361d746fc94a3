from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Beat: redo verification/printing a lost message left behind.
JADWAL_SAPU = {"ktp-sapu": {"task": "ktp_sapu", "schedule": 60.0}}


class KtpConfig(AppConfig):
    name = "apps.ktp"
    label = "ktp"
    verbose_name = "e-KTP (Dukcapil)"

    def ready(self) -> None:
        from apps.ktp import tasks  # noqa: F401 - registers the Celery tasks
        from apps.ktp.projections import StatusKTPProjector
        from apps.ktp.store import store
        from egov.celery import app as celery_app
        from egov.eventstore.projections import register_projector
        from egov.eventstore.store import register_store
        from egov.portal.registry import CitizenSection, register_citizen_section

        register_store(store)
        register_projector(StatusKTPProjector())
        celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **JADWAL_SAPU}
        register_citizen_section(
            CitizenSection(
                key="ktp",
                title=_("e-KTP"),
                provider=_ktp_warga,
                template="ktp/_bagian_portal.html",
                order=10,
            )
        )

    def load_demo(self, stdout) -> None:
        from apps.ktp.demo import load_demo

        load_demo(stdout)


def _ktp_warga(subject_id: str) -> list:
    from apps.ktp.queries import permohonan_warga

    return permohonan_warga(subject_id)
