"""axe-core (npm, installed by `npm ci`) finds no serious or critical accessibility problem
on the citizen pages (WCAG 2 A and AA rules)."""

import os
from pathlib import Path

import pytest

from tests.principals import citizen

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the permit form's KBLI picker
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}


@pytest.fixture
def page(browser):
    """Our CSP (rightly) refuses injected scripts: the checker's page bypasses it."""
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe() -> Path:
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but axe-core is missing: run `npm ci`")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE


def _serious(page, axe: Path) -> list[str]:
    page.add_script_tag(path=str(axe))
    result = page.evaluate("rules => axe.run(document, rules)", RULES)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_citizen_pages_have_no_serious_accessibility_problem(page, live_server, axe):
    problems = {}
    for path in ("/", "/daftar/", "/masuk/"):
        page.goto(f"{live_server.url}{path}")
        problems[path] = _serious(page, axe)

    assert problems == {"/": [], "/daftar/": [], "/masuk/": []}


def test_signed_in_citizen_pages_have_no_serious_accessibility_problem(page, live_server, axe):
    user = citizen("siti", "3273015708850001")
    user.set_password("Rahasia-Kuat-2026")
    user.save()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "siti")
    page.fill("input[name=password]", "Rahasia-Kuat-2026")
    page.click("main form button")
    problems = {}
    for path in ("/", "/ktp/", "/ktp/ajukan/", "/izin/", "/izin/ajukan/"):
        page.goto(f"{live_server.url}{path}")
        problems[path] = _serious(page, axe)

    assert problems == {path: [] for path in problems}
