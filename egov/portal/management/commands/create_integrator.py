"""Register an agency's API client: OAuth2 client credentials with the scopes it is granted.
The secret is printed once (stored hashed); the agency then asks /o/token/ for tokens."""

import secrets

from django.core.management.base import BaseCommand, CommandError

from egov.portal.integrators import register_integrator
from egov.portal.scopes import all_scopes


class Command(BaseCommand):
    help = "Register an integrator (agency, bank) with OAuth2 client credentials and scopes."

    def add_arguments(self, parser):
        parser.add_argument("--instansi", required=True, help="Agency name, e.g. 'Bank BRI'")
        parser.add_argument(
            "--scopes", required=True, help=f"Space separated: {' '.join(all_scopes())}"
        )
        parser.add_argument("--client-id", default="", help="Default: generated")

    def handle(self, *args, instansi: str, scopes: str, client_id: str, **options):
        unknown = set(scopes.split()) - set(all_scopes())
        if unknown:
            raise CommandError(f"Unknown scopes: {' '.join(sorted(unknown))}")
        secret = secrets.token_urlsafe(32)
        application = register_integrator(
            instansi=instansi,
            scopes=scopes.split(),
            client_id=client_id or secrets.token_urlsafe(18),
            client_secret=secret,
        )
        self.stdout.write(f"client_id={application.client_id}")
        self.stdout.write(f"client_secret={secret}")
        self.stdout.write("The secret is shown only now; egov keeps only its hash.")
