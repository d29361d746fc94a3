"""The region picker in a real browser, under the portal's CSP: typing a name fills the
business location's datalist from /api/v1/wilayah/, and a chosen code shows its full name."""

import pytest
from playwright.sync_api import expect

from tests.principals import citizen

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the permit form's KBLI picker
]


def test_typing_a_name_suggests_regions_and_a_code_shows_its_full_name(page, live_server):
    user = citizen("siti", "3273015708850001")
    user.set_password("Rahasia-Kuat-2026")
    user.save()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "siti")
    page.fill("input[name=password]", "Rahasia-Kuat-2026")
    page.click("main form button")
    page.goto(f"{live_server.url}/izin/ajukan/")

    page.locator("#id_kode_wilayah").press_sequentially("sukasari bandung")

    options = page.locator("#id_kode_wilayah-pilihan option")
    expect(options.first).to_have_attribute("value", "327301")
    expect(options.first).to_have_attribute("label", "Sukasari, Kota Bandung, Jawa Barat")
    page.locator("#id_kode_wilayah").fill("327301")
    expect(page.locator("#id_kode_wilayah-nama")).to_have_text("Sukasari, Kota Bandung, Jawa Barat")
