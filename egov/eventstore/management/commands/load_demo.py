"""Load demo data: every app config that defines ``load_demo(stdout)`` contributes its part.
Idempotent: running it twice adds nothing new."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from egov.eventstore import projections


class Command(BaseCommand):
    help = "Load demo users and data (idempotent)."

    def handle(self, *args, **options):
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@egov.local", "admin")
            self.stdout.write("superuser admin / admin")
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo", None)
            if loader:
                loader(self.stdout)
        for projector in projections.all_projectors():
            projections.run_projector(projector)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
