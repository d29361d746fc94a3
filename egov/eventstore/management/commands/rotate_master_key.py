"""Rotate PERSONAL_DATA_MASTER_KEY: re-wrap every subject key of every context under a new
master key. No event is rewritten (events hold data sealed by subject keys, which do not
change); destroyed keys stay destroyed. Resumable: run it again after an interruption."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from egov import keys
from egov.eventstore.crypto import decode_master_key, master_key_id
from egov.eventstore.store import get_store, registered_contexts

NEW_KEY_VARIABLE = "PERSONAL_DATA_MASTER_KEY_NEW"


class Command(BaseCommand):
    help = (
        "Re-wrap every subject key under a new master key (--new-key-file, else "
        f"{NEW_KEY_VARIABLE}, else the configured PERSONAL_DATA_MASTER_KEY to finish a rotation)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-key-file", type=Path, help="file holding the new key (base64)")

    def handle(self, *args, new_key_file=None, **options):
        new_value = _new_key_value(new_key_file=new_key_file)
        new_key = decode_master_key(new_value)
        new_id = master_key_id(new_key)
        for context in registered_contexts():
            codec = get_store(context).codec
            rewrapped = codec.rewrap_all(new_master_key=new_key)
            self.stdout.write(f"{context}: {rewrapped} subject keys re-wrapped under {new_id}")
        if new_value != settings.PERSONAL_DATA_MASTER_KEY:
            self._configure(new_value=new_value)
        self.stdout.write(self.style.SUCCESS(f"every subject key is wrapped by {new_id}"))

    def _configure(self, *, new_value: str) -> None:
        """Make the new key active where it can be (the keys file), or say what to set."""
        source = settings.EGOV_SECRET_SOURCES.get("PERSONAL_DATA_MASTER_KEY", "")
        steps = (
            "Restart every egov process, then run rotate_master_key once more (it re-wraps "
            "keys written meanwhile under the old key), then remove "
            "PERSONAL_DATA_MASTER_KEY_PREVIOUS."
        )
        if source.startswith("keys-file:"):
            keys.set_in_keys_file(
                path=Path(settings.EGOV_KEYS_FILE),
                updates={
                    "PERSONAL_DATA_MASTER_KEY": new_value,
                    "PERSONAL_DATA_MASTER_KEY_PREVIOUS": settings.PERSONAL_DATA_MASTER_KEY,
                },
            )
            self.stdout.write(f"{settings.EGOV_KEYS_FILE}: new key active, old one previous.")
        else:
            self.stdout.write(
                "Set PERSONAL_DATA_MASTER_KEY to the new key and PERSONAL_DATA_MASTER_KEY_PREVIOUS"
                f" to the old one (where they are configured: {source or 'unknown'})."
            )
        self.stdout.write(steps)


def _new_key_value(*, new_key_file: Path | None) -> str:
    if new_key_file is not None:
        try:
            value = new_key_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise CommandError(f"cannot read {new_key_file}: {error}") from None
    else:
        value = os.environ.get(NEW_KEY_VARIABLE) or settings.PERSONAL_DATA_MASTER_KEY
    problem = keys.PERSONAL_DATA_MASTER_KEY.problem(value)
    if problem:
        raise CommandError(f"the new master key {problem} (generate: base64 of 32 random bytes)")
    return value
