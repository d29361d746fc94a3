"""``manage.py bus_keygen --out agency.key``: an agency's Ed25519 key pair.

The private key is written (PEM, PKCS#8, readable by its owner only) and stays with the
agency; the public key is printed (raw, base64) for egov's admin (``Instansi``)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.bus.domain.kunci import buat_kunci, mentah_base64, pem_privat, sidik


class Command(BaseCommand):
    help = "Make an agency's Ed25519 key pair: writes the private key, prints the public key."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="File for the private key (PEM).")
        parser.add_argument("--force", action="store_true", help="Overwrite an existing file.")

    def handle(self, *args, out: str, force: bool, **options):
        path = Path(out)
        if path.exists() and not force:
            raise CommandError(f"{path} exists; use --force to overwrite it")
        key = buat_kunci()
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
        with os.fdopen(os.open(path, flags, 0o600), "wb") as handle:
            handle.write(pem_privat(key))
        public = key.public_key()
        self.stderr.write(f"Private key written to {path} (keep it at the agency).")
        self.stderr.write(f"Fingerprint (SHA-256): {sidik(public)}")
        self.stdout.write(mentah_base64(public))
