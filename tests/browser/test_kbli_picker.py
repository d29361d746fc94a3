"""The KBLI picker in a real browser, under the portal's CSP: typing words of an activity
fills the code's datalist from /api/v1/izin/kbli/, and a chosen code shows its title and the
risk level for the chosen scale in words (it changes with the scale)."""

import pytest
from playwright.sync_api import expect

from apps.izin.models import HariLibur, RisikoKBLI, TenggatTahap
from apps.izin.seed import muat_konfigurasi
from tests.principals import citizen

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the permit form's KBLI picker
]


def test_typing_words_suggests_codes_and_the_chosen_code_explains_its_risk(page, live_server):
    muat_konfigurasi(RisikoKBLI, TenggatTahap, HariLibur)  # a transactional test's flush
    user = citizen("sri", "3273015708850001")
    user.set_password("Rahasia-Kuat-2026")
    user.save()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "sri")
    page.fill("input[name=password]", "Rahasia-Kuat-2026")
    page.click("main form button")
    page.goto(f"{live_server.url}/izin/ajukan/")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.locator("#id_kbli_kode").press_sequentially("roti")

    option = page.locator("#id_kbli_kode-daftar option")
    expect(option.first).to_have_attribute("value", "10710")
    expect(option.first).to_have_attribute("label", "Industri produk roti dan kue")
    page.locator("#id_kbli_kode").fill("10710")
    page.select_option("#id_skala", "MIKRO")
    penjelasan = page.locator("#id_kbli_kode-penjelasan")
    expect(penjelasan).to_contain_text("Industri produk roti dan kue")
    expect(penjelasan).to_contain_text("Menengah Rendah: NIB dan sertifikat standar berupa")
    page.select_option("#id_skala", "BESAR")
    expect(penjelasan).to_contain_text("Menengah Tinggi: NIB dan sertifikat standar yang")
    assert errors == []  # no CSP violation, no script error
