"""Migrate every database alias (each only receives the tables the router gives it)."""

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
