"""``manage.py laporan_pajak_bulanan 2026-11 [--format csv|xlsx] [--output FILE]``: the
monthly tax report from the read database (CSV to standard output unless ``--output``;
XLSX to ``laporan-pajak-<masa>.xlsx`` unless ``--output``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.pajak import laporan
from apps.pajak.queries import masa_laporan
from egov.eventstore.domain import InvalidInput


class Command(BaseCommand):
    help = "The monthly tax report per tax and province (CSV or XLSX), from the read database."

    def add_arguments(self, parser):
        parser.add_argument("masa", help="the month, YYYY-MM (e.g. 2026-11)")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", "-o", help="file to write (CSV default: standard output)")

    def handle(self, *args, masa: str, format: str, output: str | None, **options):
        try:
            masa = masa_laporan(masa)
        except InvalidInput as error:
            raise CommandError(error.message) from None
        if format == "csv" and not output:
            laporan.tulis_csv(masa, self.stdout)
            return
        path = Path(output or laporan.nama_berkas(masa, format))
        if format == "csv":
            with path.open("w", encoding="utf-8", newline="") as berkas:
                laporan.tulis_csv(masa, berkas)
        else:
            with path.open("wb") as berkas:
                laporan.tulis_xlsx(masa, berkas)
        self.stderr.write(f"{path}")
