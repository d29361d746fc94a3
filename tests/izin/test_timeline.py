"""The timeline a citizen reads: each step's label is worded from its kind in the reader's
language, the detail (an officer's reason, the applicant's answer) stays as typed."""

import importlib

import pytest
from django.utils import translation

from apps.izin import commands, queries
from apps.izin.models import RiwayatIzin
from tests.izin.conftest import NIK, VERIFIKATOR, ajukan, metadata, selesaikan, verifikasi_ktp
from tests.principals import citizen, session_client

pytestmark = pytest.mark.django_db(databases="__all__")

CATATAN = "Lampirkan izin lingkungan"
migrasi = importlib.import_module("apps.izin.migrations.0011_riwayat_rincian")


@pytest.fixture
def diminta():
    """An MT application for which the verifier asked a correction."""
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(kbli_kode="16101")
    commands.izin_minta_perbaikan(
        principal=VERIFIKATOR, permohonan_id=pid, catatan=CATATAN, metadata=metadata("v")
    )
    selesaikan()
    return pid


def test_the_read_table_keeps_the_kind_and_the_detail_as_typed_not_a_label(diminta):
    [row] = RiwayatIzin.objects.filter(permohonan_id=diminta, jenis="PerbaikanDiminta")

    assert (row.keterangan, row.lampiran_sha256) == (CATATAN, "")


def test_a_correction_request_reads_in_english_with_the_officers_words_as_typed(diminta):
    with translation.override("en"):
        langkah = queries.riwayat_izin(diminta)[-1]

    assert (langkah.jenis, langkah.judul, langkah.rincian) == (
        "PerbaikanDiminta",
        "Correction requested",
        CATATAN,
    )
    assert langkah.keterangan == f"Correction requested: {CATATAN}"


def test_the_same_step_reads_in_indonesian_by_default(diminta):
    langkah = queries.riwayat_izin(diminta)[-1]

    assert langkah.keterangan == f"Perbaikan diminta: {CATATAN}"


def test_the_portal_page_in_english_shows_the_english_step(diminta):
    sri = session_client(citizen("sri", NIK))

    page = sri.get(f"/izin/{diminta}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f"Correction requested: {CATATAN}" in page
    assert "Perbaikan diminta" not in page


@pytest.mark.parametrize(
    ("jenis", "teks", "hasil"),
    [
        ("PerbaikanDiminta", f"Perbaikan diminta: {CATATAN}", (CATATAN, "")),
        ("IzinDikirim", "Dokumen izin dikirim", ("", "")),
        (
            "PerbaikanDiajukan",
            "Perbaikan diajukan: SIPA [dokumen terlampir, SHA-256 0123456789ab…]",
            ("SIPA", "0123456789ab"),
        ),
        ("PerbaikanDiminta", CATATAN, None),  # already in the new shape: left alone
    ],
)
def test_the_migration_splits_an_old_rows_sentence_into_detail_and_attachment(jenis, teks, hasil):
    assert migrasi.pisah(jenis, teks) == hasil
