"""Each projector's checkpoint, the feed's head and the lag. A projector whose databases
cannot be reached is reported as ``unreachable``; the others are still listed."""

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError

from egov.eventstore import projections

UNREACHABLE = "unreachable"


class Command(BaseCommand):
    help = "Print every projector's checkpoint, head and lag."

    def handle(self, *args, **options):
        header = f"{'projector':32} {'feed':10} {'checkpoint':>10} {'head':>8} {'lag':>6}"
        self.stdout.write(header)
        unreachable = 0
        for projector in projections.all_projectors():
            try:
                rows = projections.lag(projector)
            except (OperationalError, InterfaceError) as exc:
                unreachable += 1
                self.stdout.write(f"{projector.name:32} {UNREACHABLE}")
                first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                self.stderr.write(f"{projector.name}: {first_line}")
                continue
            for row in rows:
                self.stdout.write(
                    f"{row['projector']:32} {row['feed']:10} "
                    f"{row['checkpoint']:>10} {row['head']:>8} {row['lag']:>6}"
                )
        if unreachable:
            self.stderr.write(f"{unreachable} projector(s) unreachable")
