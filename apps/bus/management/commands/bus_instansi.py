"""``manage.py bus_instansi --kode kemendagri --nama ... --jenis KematianDicatat --kunci B64``:
register (or update) an agency without the admin (scripts, the README's walkthrough)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.bus.domain.rute import JENIS
from apps.bus.models import Instansi


class Command(BaseCommand):
    help = "Register or update an agency that may send over the bus."

    def add_arguments(self, parser):
        parser.add_argument("--kode", required=True)
        parser.add_argument("--nama", required=True)
        parser.add_argument("--jenis", action="append", choices=sorted(JENIS), required=True)
        parser.add_argument(
            "--kunci", required=True, help="Public key: base64 or PEM, or @file to read it."
        )
        parser.add_argument("--nonaktif", action="store_true")

    def handle(self, *args, kode, nama, jenis, kunci, nonaktif, **options):
        if kunci.startswith("@"):
            kunci = Path(kunci[1:]).read_text()
        instansi = Instansi(
            kode=kode,
            nama=nama,
            jenis_peristiwa=sorted(set(jenis)),
            kunci_publik=kunci,
            aktif=not nonaktif,
        )
        try:
            instansi.full_clean(validate_unique=False)
        except ValidationError as error:
            raise CommandError(str(error.message_dict)) from None
        instansi.save(using="bus")
        self.stdout.write(f"{instansi} — {', '.join(instansi.jenis_peristiwa)}")
