"""Demo data of the account side: an integrator client, so the integrator guide's curl works
on `make run` (demo only: `make up` loads it only with DEMO=1)."""

from oauth2_provider.models import Application

from egov.portal.integrators import register_integrator

DEMO_CLIENT_ID = "demo-bank"
DEMO_CLIENT_SECRET = "demo-integrator-2026"  # noqa: S105 - demo credentials, in the README


def load_demo(stdout) -> None:
    if Application.objects.filter(client_id=DEMO_CLIENT_ID).exists():
        return
    register_integrator(
        instansi="Bank Demo",
        scopes=["ktp:ajukan", "ktp:baca", "izin:ajukan", "izin:baca"],
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
    )
    stdout.write(f"portal: integrator {DEMO_CLIENT_ID} / {DEMO_CLIENT_SECRET}")
