"""Permit and e-KTP journeys in a real browser: a verified citizen applies for a business
permit (KBLI and region pickers) and is warned before applying twice for the same business;
an OSS verifier asks for a correction in the admin, the citizen answers with a PDF, the
verifier approves and the citizen downloads the permit; a Dukcapil officer takes an e-KTP
request from biometric recording to hand-over in the admin; a permit page in English.

Commands run their projections and tasks in-process once they commit (eager Celery, a
transactional test), so every page loaded after an action already shows its outcome."""

import hashlib
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.izin import commands as izin
from apps.izin.models import HariLibur, IzinStatus, LampiranPerbaikan, RisikoKBLI, TenggatTahap
from apps.izin.roles import GRUP_VERIFIKATOR
from apps.izin.seed import muat_konfigurasi
from apps.ktp import commands as ktp
from apps.ktp.models import StatusPermohonanKTP
from apps.ktp.roles import GRUP_PETUGAS
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import mask_nik
from tests.izin.conftest import verifikasi_ktp
from tests.principals import citizen, counter_officer, officer, principal

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.usefixtures("kbli_terbit"),  # the permit form's KBLI picker
]
NIK = "3273015708850001"
PASSWORD = "Rahasia-Kuat-2026"
USAHA = "Apotek Sehat Sri"
# The smallest file egov.uploads accepts as a PDF (recognised by its magic bytes).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def sri():
    """A citizen whose NIK claim Dukcapil verified, known to izin's identity replica, and
    izin's seed configuration (a transactional test's flush empties the migration's rows)."""
    muat_konfigurasi(RisikoKBLI, TenggatTahap, HariLibur)
    user = citizen("sri", NIK)
    user.set_password(PASSWORD)
    user.save()
    verifikasi_ktp(NIK)
    return user


def _officer(username: str, group: str, *permissions: str):
    user = officer(username, group)
    Group.objects.get(name=group).permissions.add(
        *Permission.objects.filter(codename__in=permissions)
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _masuk(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button")
    expect(page).not_to_have_url(re.compile(r"/masuk/"))


def _masuk_admin(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form [type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()


def _aksi(page, row_text: str, action: str) -> None:
    """Select the changelist row showing ``row_text`` and run ``action`` on it."""
    row = page.locator("#result_list tbody tr").filter(has_text=row_text)
    row.locator("input.action-select").check()
    page.select_option("#changelist-form select[name=action]", action)
    page.click("#changelist-form button[name=index]")


def _ajukan_di_portal(page, base: str) -> None:
    """Fill the permit form as a citizen does: KBLI and region found by words."""
    page.goto(f"{base}/izin/ajukan/")
    page.fill("input[name=nama_pemohon]", "Sri Wahyuni")
    page.select_option("select[name=jenis_pelaku]", "PERORANGAN")
    page.fill("input[name=nama_usaha]", USAHA)
    page.locator("#id_kbli_kode").press_sequentially("apotek")
    expect(page.locator("#id_kbli_kode-daftar option").first).to_have_attribute("value", "47722")
    page.locator("#id_kbli_kode").fill("47722")
    page.locator("#id_kode_wilayah").press_sequentially("sukasari bandung")
    expect(page.locator("#id_kode_wilayah-pilihan option").first).to_have_attribute(
        "value", "327301"
    )
    page.locator("#id_kode_wilayah").fill("327301")
    expect(page.locator("#id_kode_wilayah-nama")).to_have_text("Sukasari, Kota Bandung, Jawa Barat")
    page.select_option("#id_skala", "KECIL")
    expect(page.locator("#id_kbli_kode-penjelasan")).to_contain_text(
        "Perdagangan eceran barang farmasi di apotek"
    )
    page.fill("input[name=nilai_investasi]", "90000000")
    page.click("main form button[type=submit]")


def _ajukan(user, nama_usaha: str = USAHA):
    """Sri's MT application (a verifier decides it), filed as the portal files it."""
    return izin.izin_ajukan(
        principal=principal(user),
        metadata=EventMetadata(actor="sri", source="test"),
        nik_masked=mask_nik(NIK),
        nama_pemohon="Sri Wahyuni",
        jenis_pelaku="PERORANGAN",
        nama_usaha=nama_usaha,
        kbli_kode="47722",
        kbli_versi="2020",
        kode_wilayah="327301",
        skala="KECIL",
        nilai_investasi=Decimal("90000000"),
    )


def test_a_citizen_applies_for_a_permit_and_is_warned_before_applying_twice(page, live_server, sri):
    base = live_server.url
    _masuk(page, base, "sri")
    _ajukan_di_portal(page, base)

    expect(page).to_have_url(re.compile(rf"/izin/{UUID}/$"))
    expect(page.get_by_text("Permohonan izin Anda sudah diterima.")).to_be_visible()
    page.goto(f"{base}/izin/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(0)).to_have_text(USAHA)
    expect(rows.locator("td").nth(1)).to_have_text("47722")
    expect(rows.locator("td").nth(2)).to_have_text("Menunggu verifikasi petugas")

    _ajukan_di_portal(page, base)  # the same business again

    banner = page.locator("[data-permohonan-ganda]")
    expect(banner).to_contain_text("Permohonan ganda?")
    expect(banner.get_by_role("link", name="Lihat permohonan yang sudah ada")).to_have_attribute(
        "href", re.compile(rf"^/izin/{UUID}/$")
    )
    konfirmasi = page.get_by_label("Saya tetap ingin mengajukan permohonan baru untuk usaha ini.")
    expect(konfirmasi).not_to_be_checked()
    assert IzinStatus.objects.filter(nama_usaha=USAHA).count() == 1

    konfirmasi.check()
    page.click("main form button[type=submit]")

    expect(page.get_by_text("Permohonan izin Anda sudah diterima.")).to_be_visible()
    page.goto(f"{base}/izin/")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert IzinStatus.objects.filter(nama_usaha=USAHA).count() == 2


def test_a_correction_with_a_pdf_then_approval_then_the_permit_is_downloaded(
    page, officer_page, live_server, sri
):
    base = live_server.url
    permohonan_id = _ajukan(sri)
    _officer("verifikator", GRUP_VERIFIKATOR, "view_izinstatus")
    petugas = officer_page
    _masuk_admin(petugas, base, "verifikator")
    petugas.goto(f"{base}/admin/izin/izinstatus/")
    row = petugas.locator("#result_list tbody tr").filter(has_text=USAHA)
    expect(row.locator("td.field-label_tahap")).to_have_text("Menunggu verifikasi petugas")

    _aksi(petugas, USAHA, "minta_perbaikan")
    expect(petugas.locator("#content h1")).to_have_text("Keputusan atas permohonan izin")
    petugas.fill("textarea[name=catatan]", "Lampirkan surat izin praktik apoteker")
    petugas.click("#content form [type=submit]")

    expect(petugas.locator("ul.messagelist li")).to_have_text(["1 permohonan diproses."])
    expect(row.locator("td.field-label_tahap")).to_have_text("Menunggu perbaikan dari pemohon")

    _masuk(page, base, "sri")
    page.goto(f"{base}/izin/{permohonan_id}/")
    expect(page.locator("main .govuk-tag")).to_have_text("Perlu perbaikan dari Anda")
    page.fill("textarea[name=keterangan]", "SIPA terlampir")
    page.set_input_files(
        "input[name=lampiran]", {"name": "sipa.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Kirim perbaikan").click()

    expect(page.get_by_text("Perbaikan Anda sudah dikirim.")).to_be_visible()
    expect(page.locator("main .govuk-tag")).to_have_text("Menunggu verifikasi petugas")
    langkah = page.locator("ol.egov-timeline li")
    sha = hashlib.sha256(PDF).hexdigest()
    expect(langkah.filter(has_text="Perbaikan diminta")).to_contain_text(
        "Perbaikan diminta: Lampirkan surat izin praktik apoteker"
    )
    expect(langkah.last).to_contain_text(
        f"Perbaikan diajukan: SIPA terlampir [dokumen terlampir, SHA-256 {sha[:12]}…]"
    )
    [lampiran] = LampiranPerbaikan.objects.all()
    assert (lampiran.jenis_media, lampiran.ukuran, lampiran.sha256) == (
        "application/pdf",
        len(PDF),
        sha,
    )

    petugas.goto(f"{base}/admin/izin/izinstatus/")
    petugas.get_by_role("link", name=USAHA).click()
    expect(petugas.locator(".field-lampiran_perbaikan")).to_contain_text(f"SHA-256 {sha[:12]}…")
    petugas.goto(f"{base}/admin/izin/izinstatus/")
    _aksi(petugas, USAHA, "setujui")
    expect(petugas.locator("ul.messagelist li")).to_have_text(["1 permohonan diproses."])
    expect(row.locator("td.field-label_tahap")).to_have_text("Disetujui")

    page.goto(f"{base}/izin/{permohonan_id}/")
    expect(page.locator("main .govuk-tag")).to_have_text("Disetujui")
    kode = page.locator("main p", has_text="Kode verifikasi").locator("strong").inner_text()
    with page.expect_download() as unduhan:
        page.get_by_role("button", name="Unduh dokumen izin (PDF)").click()

    download = unduhan.value
    assert download.suggested_filename == f"izin-{kode}.pdf"
    with open(download.path(), "rb") as berkas:
        isi = berkas.read()
    assert isi.startswith(b"%PDF")
    teks = " ".join(PdfReader(io.BytesIO(isi)).pages[0].extract_text().split())
    assert f"Nama usaha: {USAHA}" in teks


def test_an_officer_takes_an_ektp_request_from_recording_to_hand_over_in_the_admin(
    page, live_server
):
    base = live_server.url
    warga = citizen("siti", NIK)
    ktp.ktp_ajukan(
        principal=principal(warga),
        metadata=EventMetadata(actor="siti", source="test"),
        nik=NIK,
        nama="Siti Aminah",
        tanggal_lahir=date(1985, 8, 17),
        pernah_kawin=False,
        jenis="BARU",
    )
    _officer("petugas-ktp", GRUP_PETUGAS, "view_statuspermohonanktp", "view_ringkasanblangko")
    nik = mask_nik(NIK)
    _masuk_admin(page, base, "petugas-ktp")
    page.goto(f"{base}/admin/ktp/statuspermohonanktp/")
    row = page.locator("#result_list tbody tr").filter(has_text=nik)
    status = row.locator("td.field-status_permohonan")
    expect(status).to_have_text("Diajukan, menunggu perekaman biometrik")

    _aksi(page, nik, "rekam")
    page.set_input_files(
        "input[name=template]",
        {"name": "sidik-jari.iso", "mimeType": "application/octet-stream", "buffer": b"ISO19794"},
    )
    page.fill("input[name=lokasi]", "Disdukcapil Kota Bandung")
    page.click("#content form [type=submit]")

    expect(page.locator("ul.messagelist li")).to_have_text(["1 permohonan diproses."])
    expect(status).to_have_text("Terverifikasi, menunggu cetak")  # checked centrally

    _aksi(page, nik, "cetak")  # no blank card in stock yet
    expect(page.locator("ul.messagelist li.error")).to_have_text(
        [f"{nik}: Blangko habis: permohonan menunggu di antrean cetak sampai stok ditambah."]
    )
    expect(status).to_have_text("Terverifikasi, menunggu cetak")

    # The first delivery of blanks, from the stock page's "add" (a fresh system has no stock
    # row to act on): the print queue prints the waiting request.
    page.goto(f"{base}/admin/ktp/ringkasanblangko/add/")
    page.fill("input[name=jumlah]", "10")
    page.get_by_role("button", name="Tambah stok blangko").click()
    expect(page.locator("ul.messagelist li")).to_have_text(["Stok blangko sekarang 10."])
    page.goto(f"{base}/admin/ktp/statuspermohonanktp/")
    expect(status).to_have_text("Dicetak, siap diambil")
    expect(row.locator("td.field-nomor_blangko")).to_have_text("BLK-00000001")

    _aksi(page, nik, "serahkan")

    expect(page.locator("ul.messagelist li")).to_have_text(["1 permohonan diproses."])
    expect(status).to_have_text("Sudah diserahkan")
    assert list(StatusPermohonanKTP.objects.values_list("status", "nomor_blangko")) == [
        ("DISERAHKAN", "BLK-00000001")
    ]


def test_a_permit_page_switched_to_english_shows_its_headings_and_stage_in_english(
    page, live_server, sri
):
    base = live_server.url
    permohonan_id = _ajukan(sri)
    _masuk(page, base, "sri")
    page.goto(f"{base}/izin/{permohonan_id}/")
    expect(page.locator("main .govuk-tag")).to_have_text("Menunggu verifikasi petugas")

    page.select_option("select[name=language]", "en")  # submits by itself (portal.js)

    expect(page.locator("main .govuk-tag")).to_have_text("Waiting for an officer's verification")
    expect(page).to_have_url(f"{base}/izin/{permohonan_id}/")
    expect(page.locator("main h1")).to_have_text(USAHA)
    expect(page.locator("main .govuk-back-link")).to_have_text("My business permits")
    keys = page.locator("main .govuk-summary-list__key")
    expect(keys).to_have_text(["Stage", "NIB", "KBLI", "Risk level", "Authority", "Deadline"])
    expect(page.locator("main h2")).to_have_text(["History"])
    risk = page.locator("main .govuk-summary-list__row").filter(has_text="Risk level")
    expect(risk.locator("dd")).to_have_text("Medium-high")


# Indonesian words of the permit pages an English reader once got (the timeline stored its
# labels worded in Indonesian); none may be left.
STILL_INDONESIAN = (
    "Permohonan ganda?",
    "Permohonan untuk usaha yang sama",
    "Lihat permohonan yang sudah ada",
    "Untuk tetap mengajukan, centang konfirmasi",
    "Saya tetap ingin mengajukan permohonan baru",
    "Dokumen pendukung (jika diminta)",
    "PDF, JPEG atau PNG, paling besar",
    "Tingkat risiko ditetapkan:",
    "Perbaikan diminta:",
)


def test_a_correction_and_a_duplicate_warning_read_in_english(page, live_server, sri):
    base = live_server.url
    permohonan_id = _ajukan(sri)
    izin.izin_minta_perbaikan(
        principal=counter_officer(GRUP_VERIFIKATOR, "v"),
        permohonan_id=permohonan_id,
        catatan="Lampirkan surat izin praktik apoteker",
        metadata=EventMetadata(actor="v", source="test"),
    )
    _masuk(page, base, "sri")
    page.goto(f"{base}/izin/{permohonan_id}/")
    page.select_option("select[name=language]", "en")  # submits by itself (portal.js)
    expect(page.locator("main .govuk-tag")).to_have_text("Needs a correction from you")
    correction = page.inner_text("main")
    _ajukan_di_portal(page, base)  # the same business again
    expect(page.locator("[data-permohonan-ganda]")).to_be_visible()
    duplicate = page.inner_text("main")

    assert [words for words in STILL_INDONESIAN if words in correction + duplicate] == []
