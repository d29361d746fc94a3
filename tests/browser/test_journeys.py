"""What a citizen, an officer and an integrator see in a real browser."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from egov.portal import claims
from egov.portal.models import CitizenProfile
from tests.principals import citizen, counter_officer, officer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the permit form's KBLI picker
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


# Controls a finger must hit, at least 44 px tall (WCAG 2.5.5), skipping links inside a
# sentence (inline links are exempt) and what is not shown (the skip link until focused).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "a[href], button, select, textarea, input:not([type=hidden])")]
  .filter(e => {
    const r = e.getBoundingClientRect();
    const inline = e.tagName === "A"
      && e.parentElement.textContent.trim() !== e.textContent.trim();
    return r.width > 1 && r.height > 1 && !inline && r.height < 44;
  })
  .map(e => `${e.tagName} ${(e.textContent || e.name).trim()} ${e.getBoundingClientRect().height}`)
"""


def _phone_fit(page) -> tuple[int, list[str]]:
    """The page's width and its controls under 44 px, as a 390 px phone shows them."""
    return page.evaluate("document.documentElement.scrollWidth"), page.evaluate(SMALL_TARGETS)


def test_citizen_pages_fit_a_phone(browser, live_server):
    user = citizen("siti", NIK)
    user.set_password("Rahasia-Kuat-2026")
    user.save()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    seen = {}
    try:
        for path in ("/", "/daftar/", "/tidak-ada/", "/masuk/"):
            page.goto(f"{live_server.url}{path}")
            seen[path] = _phone_fit(page)
        page.fill("input[name=username]", "siti")
        page.fill("input[name=password]", "Rahasia-Kuat-2026")
        page.click("main form button")
        for path in ("/", "/ktp/", "/izin/", "/izin/ajukan/", "/ktp/ajukan/"):
            page.goto(f"{live_server.url}{path}")
            seen[f"{path} (warga)"] = _phone_fit(page)
        page.click("main form button")  # /ktp/ajukan/ sent empty: error summary, field errors
        seen["/ktp/ajukan/ (kesalahan)"] = _phone_fit(page)
    finally:
        context.close()

    assert {path: fit for path, fit in seen.items() if fit[0] > 390 or fit[1]} == {}
