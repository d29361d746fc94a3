"""Check the audit trail: chain, seals and source events. Exit 1 naming the first break."""

from django.core.management.base import BaseCommand, CommandError

from apps.audit.verify import verify


class Command(BaseCommand):
    help = "Verify the audit hash chain and its signed seals; name the first broken record."

    def handle(self, *args, **options):
        checked, problem = verify()
        if problem:
            raise CommandError(
                f"Jejak audit rusak pada catatan #{problem.nomor}: "
                f"{problem.masalah} ({checked} catatan sebelumnya utuh)"
            )
        self.stdout.write(self.style.SUCCESS(f"Jejak audit utuh: {checked} catatan."))
