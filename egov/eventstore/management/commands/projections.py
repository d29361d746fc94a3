"""Each projector's checkpoint, the feed's head and the lag."""

from django.core.management.base import BaseCommand

from egov.eventstore import projections


class Command(BaseCommand):
    help = "Print every projector's checkpoint, head and lag."

    def handle(self, *args, **options):
        header = f"{'projector':32} {'feed':10} {'checkpoint':>10} {'head':>8} {'lag':>6}"
        self.stdout.write(header)
        for projector in projections.all_projectors():
            for row in projections.lag(projector):
                self.stdout.write(
                    f"{row['projector']:32} {row['feed']:10} "
                    f"{row['checkpoint']:>10} {row['head']:>8} {row['lag']:>6}"
                )
