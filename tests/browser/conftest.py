"""Browser tests: Playwright for Python driving Debian's ``chromium`` (installed by .ci/run,
never downloaded by a tool) against a live egov server on this test's PostgreSQL databases.
With ``REQUIRE_BROWSER=1`` (CI) a missing chromium is an error, otherwise a skip. A failing
test leaves a screenshot in ``var/screenshots/``."""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)")
    pytest.skip("chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    """Playwright's sync API keeps an event loop running in this thread, and Django refuses
    ORM calls when it sees one; the tests' own ORM calls are synchronous, so the check is
    lifted while a browser is open (as Playwright's Django guide does), then restored."""
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    setattr(item, f"rep_{call.when}", outcome.get_result())


def _desktop_page(browser, request, suffix: str = ""):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = f"{request.node.name}{suffix}.png"
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):
    yield from _desktop_page(browser, request)


@pytest.fixture
def officer_page(browser, request):
    """A second browser (its own cookies) for the officer in the admin, beside the citizen's."""
    yield from _desktop_page(browser, request, "-petugas")
