"""A correction may carry the document the officer asked for: checked by ``egov.uploads``
(size, type by magic bytes, virus scan), stored in izin's write database with its SHA-256,
referenced (never embedded) by ``PerbaikanDiajukan``; a refused file appends nothing. Officers
download it from the admin, and the download is recorded for the citizen."""

import hashlib
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from apps.izin import commands, queries
from apps.izin.models import IzinEvent, LampiranPerbaikan, RiwayatIzin, lampiran_associated
from apps.izin.store import store
from egov.eventstore.domain import InvalidInput
from egov.eventstore.pseudonym import keyed_hash
from egov.uploads import (
    EICAR,
    MSG_JENIS,
    MSG_TERINFEKSI,
    MSG_TERLALU_BESAR,
    Upload,
    UploadTooLarge,
    check_upload,
    eicar_scanner,
    media_type_of,
    no_scan,
)
from tests.izin.conftest import NIK, VERIFIKATOR, ajukan, metadata, selesaikan, verifikasi_ktp
from tests.principals import citizen, officer, principal, session_client

pytestmark = pytest.mark.django_db(databases="__all__")

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"


def _isi(row: LampiranPerbaikan) -> bytes | None:
    """The stored document, opened with the applicant's key."""
    return store.codec.open_bytes(row.subject_id, row.isi, lampiran_associated(row.pk))


@pytest.fixture
def sri():
    return citizen("sri", NIK)


@pytest.fixture
def diminta(sri):
    """Sri's MT application, for which the verifier asked a correction (a document)."""
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(principal=principal(sri), kbli_kode="16101")
    commands.izin_minta_perbaikan(
        principal=VERIFIKATOR,
        permohonan_id=pid,
        catatan="Lampirkan izin lingkungan",
        metadata=metadata("v"),
    )
    selesaikan()
    return pid


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _perbaikan_events(pid) -> list[IzinEvent]:
    return list(IzinEvent.objects.filter(stream_id=pid, event_type="PerbaikanDiajukan"))


def _upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- the kernel's checks ------------------------------------------------------------------
def test_types_are_recognised_by_their_magic_bytes_not_their_name():
    assert [media_type_of(c) for c in (PDF, PNG, JPEG)] == [
        "application/pdf",
        "image/png",
        "image/jpeg",
    ]
    assert media_type_of(b"MZ\x90\x00 an executable") is None
    assert media_type_of(b"<html>%PDF-</html>") is None


def test_the_default_scanner_accepts_and_the_test_scanner_finds_eicar():
    assert no_scan(EICAR).clean is True
    assert eicar_scanner(PDF).clean is True
    assert eicar_scanner(PDF + EICAR) == eicar_scanner(EICAR)
    assert eicar_scanner(EICAR).clean is False


def test_a_checked_upload_has_its_hash_size_and_type():
    checked = check_upload(Upload("x.pdf", PDF), max_bytes=len(PDF))

    assert (checked.sha256, checked.size, checked.media_type) == (
        hashlib.sha256(PDF).hexdigest(),
        len(PDF),
        "application/pdf",
    )
    with pytest.raises(UploadTooLarge):
        check_upload(Upload("x.pdf", PDF), max_bytes=len(PDF) - 1)
    with pytest.raises(InvalidInput) as empty:
        check_upload(Upload("x.pdf", b""), max_bytes=10)
    assert empty.value.code == "berkas_kosong"


# --- the portal ----------------------------------------------------------------------------
def test_the_citizen_uploads_a_document_with_the_correction(sri, diminta):
    response = _browser(sri).post(
        f"/izin/{diminta}/perbaikan/",
        {"keterangan": "Izin lingkungan terlampir", "lampiran": _upload("izin.pdf", PDF)},
    )

    assert response.status_code == 302
    [row] = LampiranPerbaikan.objects.all()
    assert (row.permohonan_id, row.subject_id) == (diminta, keyed_hash(NIK))
    assert b"izin.pdf" not in repr(vars(row)).encode()  # the client's file name is not kept
    assert (row.jenis_media, row.ukuran, row.sha256) == (
        "application/pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    assert (_isi(row), row.diunggah_oleh) == (PDF, f"user:{sri.pk}")
    assert PDF not in bytes(row.isi)  # stored sealed with Sri's key
    [event] = _perbaikan_events(diminta)
    assert (event.payload["lampiran_id"], event.payload["lampiran_sha256"]) == (
        str(row.id),
        row.sha256,
    )
    assert "%PDF" not in json.dumps(event.payload)  # the event names the file, never holds it
    selesaikan()
    [langkah] = RiwayatIzin.objects.filter(permohonan_id=diminta, jenis="PerbaikanDiajukan")
    assert (langkah.keterangan, langkah.lampiran_sha256) == (
        "Izin lingkungan terlampir",
        row.sha256,
    )
    assert queries.riwayat_izin(diminta)[-1].keterangan == (
        f"Perbaikan diajukan: Izin lingkungan terlampir "
        f"[dokumen terlampir, SHA-256 {row.sha256[:12]}…]"
    )


def test_the_correction_form_accepts_files(sri, diminta):
    page = _browser(sri).get(f"/izin/{diminta}/").content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'name="lampiran"' in page
    assert "PDF, JPEG atau PNG, paling besar 5 MiB." in page


@override_settings(EGOV_VIRUS_SCANNER="egov.uploads.eicar_scanner")
def test_an_infected_file_is_refused_with_a_message_and_nothing_is_written(sri, diminta):
    before = IzinEvent.objects.count()

    response = _browser(sri).post(
        f"/izin/{diminta}/perbaikan/",
        {"keterangan": "Terlampir", "lampiran": _upload("izin.pdf", PDF + EICAR)},
        follow=True,
    )

    assert MSG_TERINFEKSI in response.content.decode()
    assert IzinEvent.objects.count() == before
    assert LampiranPerbaikan.objects.count() == 0


# --- the API -------------------------------------------------------------------------------
def _api(sri, pid, content: bytes, name: str, content_type: str = "application/pdf"):
    return session_client(sri).post(
        f"/api/v1/izin/{pid}/perbaikan/",
        {"keterangan": "Terlampir", "lampiran": _upload(name, content, content_type)},
        format="multipart",
    )


def test_the_api_stores_an_image_recognised_by_its_content(sri, diminta):
    response = _api(sri, diminta, JPEG, "foto.png", content_type="image/png")  # the name lies

    assert (response.status_code, response.json()) == (200, {"status": "DIAJUKAN"})
    [row] = LampiranPerbaikan.objects.all()
    assert (row.jenis_media, _isi(row)) == ("image/jpeg", JPEG)


def test_a_file_of_another_type_is_refused_with_415_whatever_its_name(sri, diminta):
    before = IzinEvent.objects.count()

    response = _api(sri, diminta, b"#!/bin/sh\nrm -rf /\n", "izin.pdf")

    assert response.status_code == 415
    assert response.json() == {"code": "jenis_berkas_tidak_didukung", "detail": MSG_JENIS}
    assert (IzinEvent.objects.count(), LampiranPerbaikan.objects.count()) == (before, 0)


@override_settings(IZIN_UNGGAH_MAKS_BYTES=len(PDF))
def test_a_file_over_the_limit_is_refused_with_413(sri, diminta):
    before = IzinEvent.objects.count()

    response = _api(sri, diminta, PDF + b"x", "besar.pdf")

    assert response.status_code == 413
    assert response.json() == {"code": "berkas_terlalu_besar", "detail": MSG_TERLALU_BESAR}
    assert (IzinEvent.objects.count(), LampiranPerbaikan.objects.count()) == (before, 0)


@override_settings(EGOV_VIRUS_SCANNER="egov.uploads.eicar_scanner")
def test_an_infected_file_is_refused_by_the_api_with_400(sri, diminta):
    before = IzinEvent.objects.count()

    response = _api(sri, diminta, PDF + EICAR, "izin.pdf")

    assert (response.status_code, response.json()["code"]) == (400, "berkas_terinfeksi")
    assert (IzinEvent.objects.count(), LampiranPerbaikan.objects.count()) == (before, 0)


def test_a_correction_without_a_document_still_works(sri, diminta):
    response = session_client(sri).post(
        f"/api/v1/izin/{diminta}/perbaikan/", {"keterangan": "Sudah diperbaiki"}, format="json"
    )

    assert response.status_code == 200
    [event] = _perbaikan_events(diminta)
    assert (event.payload["lampiran_id"], event.payload["lampiran_sha256"]) == ("", "")
    assert LampiranPerbaikan.objects.count() == 0


@override_settings(IZIN_UNGGAH_MAKS_BYTES=10)
def test_an_officer_is_refused_as_no_applicant_before_the_file_is_looked_at(diminta):
    verifikator = officer("verifikator_oss", "verifikator_oss")

    response = _api(verifikator, diminta, PDF, "izin.pdf")  # too large, but that is not told

    assert (response.status_code, response.json()["code"]) == (403, "bukan_pemohon")
    assert LampiranPerbaikan.objects.count() == 0


# --- the back office -----------------------------------------------------------------------
def _petugas_oss():
    petugas = officer("verifikator_oss", "verifikator_oss")
    petugas.user_permissions.add(Permission.objects.get(codename="view_izinstatus"))
    return petugas


def test_an_officer_downloads_the_document_in_the_admin_and_it_is_recorded(sri, diminta):
    _api(sri, diminta, PDF, "izin.pdf")
    selesaikan()  # the timeline (read side) names the document
    [row] = LampiranPerbaikan.objects.all()
    browser = _browser(_petugas_oss())
    url = f"/admin/izin/izinstatus/{diminta}/lampiran/{row.pk}/"

    status_page = browser.get(f"/admin/izin/izinstatus/{diminta}/change/").content.decode()
    response = browser.get(url)

    assert url in status_page
    assert response.status_code == 200
    assert (response["Content-Type"], response.content) == ("application/pdf", PDF)
    assert response["Content-Disposition"].startswith("attachment;")
    accesses = IzinEvent.objects.filter(event_type="DataPribadiDiakses")
    assert [a.payload["tujuan"] for a in accesses.order_by("position")] == [
        "admin:izin_izinstatus_change",
        "admin:izin_izinstatus_lampiran",
    ]
    assert {a.payload["subject_id"] for a in accesses} == {keyed_hash(NIK)}


def test_a_document_is_opened_only_under_the_application_whose_timeline_names_it(sri, diminta):
    _api(sri, diminta, PDF, "izin.pdf")
    selesaikan()
    [row] = LampiranPerbaikan.objects.all()
    other = ajukan(kbli_kode="16101", nama_usaha="Penggergajian Bu Sri")
    selesaikan()

    response = _browser(_petugas_oss()).get(f"/admin/izin/izinstatus/{other}/lampiran/{row.pk}/")

    assert response.status_code == 404
    assert not IzinEvent.objects.filter(event_type="DataPribadiDiakses").exists()


def test_staff_without_the_permission_cannot_download(sri, diminta):
    _api(sri, diminta, PDF, "izin.pdf")
    selesaikan()
    [row] = LampiranPerbaikan.objects.all()

    response = _browser(officer("lain", "petugas_dukcapil")).get(
        f"/admin/izin/izinstatus/{diminta}/lampiran/{row.pk}/"
    )

    assert response.status_code == 404
    assert not IzinEvent.objects.filter(event_type="DataPribadiDiakses").exists()
