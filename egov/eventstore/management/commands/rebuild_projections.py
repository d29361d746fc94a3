"""Disaster recovery: empty projections and replay them from the first event."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from egov.eventstore import feed, projections


class Command(BaseCommand):
    help = "Empty and replay one projector (by name) or all of them, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="projector name (default: all)")

    def handle(self, *args, name=None, **options):
        try:
            chosen = [projections.get_projector(name)] if name else projections.all_projectors()
        except KeyError:
            known = ", ".join(p.name for p in projections.all_projectors())
            raise CommandError(f"unknown projector {name!r}; known: {known}") from None
        for projector in chosen:
            if not projector.rebuildable:
                self.stdout.write(f"{projector.name}: not rebuildable (append-only), skipped")
                continue
            total = sum(feed.total(f) for f in projector.subscriptions)
            with tqdm(total=total, desc=projector.name, unit="ev", file=self.stderr) as bar:
                applied = projections.rebuild(projector, progress=bar.update)
            self.stdout.write(f"{projector.name}: {applied} events replayed")
