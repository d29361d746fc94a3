"""The citizen portal's design system: GOV.UK Frontend compiled under egov's own brand
(frontend/egov.scss, `make assets`). The built stylesheet is committed, so `make run` needs no
node; the app serves it itself (WhiteNoise, no CDN); it carries no GOV.UK crown, crest,
logotype or GDS Transport font."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(databases="__all__")
ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "egov" / "portal" / "static" / "egov" / "egov.css"
SASS = ROOT / "node_modules" / ".bin" / "sass"


def test_the_built_stylesheet_is_committed_compressed_without_a_source_map():
    css = CSS.read_text()

    assert len(css) > 10_000
    assert ".govuk-button{" in css  # compressed: no space before the brace
    assert "sourceMappingURL" not in css


def test_the_app_serves_the_stylesheet_itself():
    response = Client().get("/static/egov/egov.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


def test_the_stylesheet_is_egovs_brand_not_govuks():
    css = CSS.read_text().lower()

    for uk in ("gds transport", "crown", "crest", "logotype", ".woff", "govuk-icon"):
        assert uk not in css, uk
    assert "--govuk-brand-colour: #004b57" in css
    assert "font-family:system-ui," in css


def test_pages_load_the_stylesheet_and_carry_no_inline_style():
    html = Client().get("/").content.decode()

    assert '<link rel="stylesheet" href="/static/egov/egov.css">' in html
    assert "<style" not in html
    assert " style=" not in html


def test_the_committed_stylesheet_is_the_build_of_the_scss(tmp_path):
    """`make assets` was run after the last change to frontend/egov.scss (same pinned sass,
    same options as the Makefile)."""
    if not SASS.exists() or not shutil.which("node"):
        pytest.skip("sass is not installed (npm ci)")
    built = tmp_path / "egov.css"
    subprocess.run(
        [
            str(SASS),
            "--no-source-map",
            "--style=compressed",
            "--load-path=node_modules",
            "frontend/egov.scss",
            str(built),
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )

    assert built.read_text() == CSS.read_text()


def test_a_form_sent_with_errors_gets_the_summary_and_its_fields_marked():
    html = Client().post("/daftar/", {"username": "siti", "nik": "3273015708850000"}).content
    page = html.decode()

    assert page.index('class="govuk-error-summary"') < page.index("<h1")  # top of <main>
    assert '<a href="#id_nik">Nomor urut NIK (4 digit terakhir) tidak boleh 0000.</a>' in page
    assert 'id="id_nik_error"' in page
    assert 'aria-describedby="id_nik_helptext id_nik_error"' in page
    assert 'class="govuk-input govuk-input--error govuk-input--width-20"' in page
    assert "<title>Kesalahan: Daftar akun warga · egov</title>" in page


def test_a_status_tag_is_coloured_by_what_it_asks_of_the_citizen():
    from egov.portal.templatetags.egov import tag_colour

    assert tag_colour("DICETAK") == "govuk-tag--green"
    assert tag_colour("PERBAIKAN") == "govuk-tag--orange"
    assert tag_colour("DITOLAK") == "govuk-tag--red"
    assert tag_colour("DIAJUKAN") == ""  # waiting on an officer: the default blue
