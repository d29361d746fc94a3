"""What a citizen, an officer and an integrator see in a real browser."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from egov.portal import claims
from egov.portal.models import CitizenProfile
from tests.principals import counter_officer, officer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases="__all__"),
]
NIK = "3273015708850001"


def _sign_up(page, base: str) -> None:
    page.goto(f"{base}/daftar/")
    page.fill("input[name=username]", "siti")
    page.fill("input[name=email]", "siti@warga.id")
    page.fill("input[name=password1]", "Rahasia-Kuat-2026")
    page.fill("input[name=password2]", "Rahasia-Kuat-2026")
    page.fill("input[name=nik]", NIK)
    page.click("main form button")


def test_a_citizen_signs_up_is_verified_applies_and_reads_in_english(page, live_server):
    base = live_server.url
    _sign_up(page, base)
    expect(page.get_by_text("NIK Anda belum terverifikasi")).to_be_visible()

    profile = CitizenProfile.objects.get(user__username="siti")
    claims.verify_claim(principal=counter_officer("petugas_dukcapil"), profile_id=profile.pk)
    page.goto(f"{base}/ktp/ajukan/")
    page.select_option("select[name=jenis]", "BARU")
    page.fill("input[name=nik]", NIK)
    page.fill("input[name=nama]", "Siti Aminah")
    page.fill("input[name=tanggal_lahir]", "1985-08-17")
    page.click("main form button")

    expect(page.get_by_text("Diajukan, menunggu perekaman biometrik")).to_be_visible()
    page.select_option("select[name=language]", "en")  # submits by itself (portal.js)
    expect(page.get_by_text("Submitted, waiting for biometric recording")).to_be_visible()


def test_the_api_docs_render_with_no_request_leaving_the_server(page, live_server):
    own = urlsplit(live_server.url).netloc
    outside = []

    def only_local(route):
        if urlsplit(route.request.url).netloc != own:
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", only_local)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)

    assert "egov API" in page.inner_text(".swagger-ui .info .title")
    assert outside == []


def test_the_admin_is_styled_for_officers(page, live_server):
    user = officer("petugas-admin", "petugas_dukcapil")
    user.set_password("Rahasia-Kuat-2026")
    user.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "petugas-admin")
    page.fill("input[name=password]", "Rahasia-Kuat-2026")
    page.click("#login-form [type=submit]")

    header = page.locator("#header")
    background = header.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # base.css was served


def test_citizen_pages_fit_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    try:
        for path in ("/", "/daftar/", "/masuk/"):
            page.goto(f"{live_server.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (path, width)
    finally:
        context.close()
