from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IzinConfig(AppConfig):
    name = "apps.izin"
    label = "izin"
    verbose_name = "Izin usaha (OSS-RBA)"

    def ready(self) -> None:
        from apps.izin.policies import IdentitasPolicy, PengirimanPolicy
        from apps.izin.projections import DokumenIzinProjector, IzinStatusProjector
        from apps.izin.store import store
        from apps.izin.tasks import JADWAL_TENGGAT
        from egov.celery import app as celery_app
        from egov.eventstore.projections import register_projector
        from egov.eventstore.store import register_store
        from egov.portal.registry import CitizenSection, register_citizen_section

        register_store(store)
        register_projector(IzinStatusProjector())
        register_projector(DokumenIzinProjector())
        register_projector(IdentitasPolicy())
        register_projector(PengirimanPolicy())
        # The fiktif-positif job (PP 28/2025) joins the beat schedule from settings.
        celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **JADWAL_TENGGAT}
        register_citizen_section(
            CitizenSection(
                key="izin",
                title=_("Izin usaha"),
                provider=_izin_warga,
                template="izin/_bagian_portal.html",
                order=20,
            )
        )

    def load_demo(self, stdout) -> None:
        from apps.izin.demo import load_demo

        load_demo(stdout)


def _izin_warga(subject_id: str) -> list[dict]:
    from apps.izin.queries import izin_milik

    return [s.as_dict() for s in izin_milik(subject_id)]
