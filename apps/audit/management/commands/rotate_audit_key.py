"""Rotate AUDIT_SIGNING_KEY: seal the chain head with the old key, generate a new Ed25519 key,
store its private half where the old one was configured (the keys file) or in --output, and
publish its public half by id. Old seals keep verifying: each names its key, and the public
half of every key stays in the audit database (KunciAudit)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.audit import chain
from apps.audit.models import KunciAudit
from apps.audit.tasks import ALIAS, audit_segel
from egov import keys


class Command(BaseCommand):
    help = "Make a new Ed25519 key the audit signing key; old seals keep verifying."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="write the new private key here (needed unless AUDIT_SIGNING_KEY comes from "
            "the keys file, which is then updated)",
        )

    def handle(self, *args, output=None, **options):
        source = settings.EGOV_SECRET_SOURCES.get("AUDIT_SIGNING_KEY", "")
        in_keys_file = source.startswith("keys-file:")
        if output is None and not in_keys_file:
            raise CommandError(
                f"AUDIT_SIGNING_KEY comes from {source or 'unknown'}: pass --output FILE for "
                "the new key, then configure it there."
            )
        old_key_id = KunciAudit.publish(using=ALIAS, public_key=chain.public_key_b64()).key_id
        closing = audit_segel()  # everything recorded so far is sealed by the old key
        new_value = keys.AUDIT_SIGNING_KEY.generate()
        # The private key is stored before its public half is published: a crash in between
        # leaves a usable key, never a published key whose private half is lost.
        if output is not None:
            keys.write_keys_file(path=output, values={"AUDIT_SIGNING_KEY": new_value})
        else:
            keys.set_in_keys_file(
                path=Path(settings.EGOV_KEYS_FILE), updates={"AUDIT_SIGNING_KEY": new_value}
            )
        new_key_id = KunciAudit.publish(
            using=ALIAS, public_key=chain.public_key_for(new_value)
        ).key_id
        where = output or settings.EGOV_KEYS_FILE
        if closing:
            self.stdout.write(f"closing seal #{closing} signed by {old_key_id}")
        self.stdout.write(
            self.style.SUCCESS(f"audit key {new_key_id} published; private key in {where}")
        )
        self.stdout.write(
            "Configure it as AUDIT_SIGNING_KEY (or AUDIT_SIGNING_KEY_FILE) if it is not read "
            f"from {settings.EGOV_KEYS_FILE}, and restart egov: until then {old_key_id} signs."
        )
