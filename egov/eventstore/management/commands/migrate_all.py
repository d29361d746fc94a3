"""Migrate every database alias (each only receives the tables the router gives it), then run
the contexts' ``after_migrate`` steps (they may write to several of a context's aliases)."""

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run migrate on every database alias."

    def handle(self, *args, **options):
        for alias in settings.DATABASES:
            self.stdout.write(f"== {alias}")
            call_command(
                "migrate", database=alias, interactive=False, verbosity=options["verbosity"]
            )
        for config in apps.get_app_configs():
            for_context = getattr(config, "run_after_migrate", None)
            if for_context is not None:
                for_context()
