"""Erasure by key destruction reaches izin's documents (UU PDP 27/2022).

The permit PDF prints the applicant's name and a correction's upload is the citizen's own
document: both are kept outside the events, so both are sealed with the applicant's own key
and bound to their row. Stored bytes are never clear; downloads open them; once the applicant
is forgotten (``store.forget_subject``) nothing opens any more and every door says so (410);
a blob moved to another row does not open. The read side holds no copy of the bytes."""

import importlib
import io
import uuid
from types import SimpleNamespace

import pytest
from cryptography.exceptions import InvalidTag
from django.apps import apps as django_apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from pypdf import PdfReader

from apps.izin import commands, dokumen
from apps.izin.models import (
    DokumenIzin,
    DokumenIzinTerbit,
    IzinEvent,
    LampiranPerbaikan,
    dokumen_associated,
    lampiran_associated,
)
from apps.izin.store import store
from egov.eventstore.crypto import is_sealed_blob
from egov.eventstore.domain import EventMetadata
from egov.eventstore.pseudonym import keyed_hash
from tests.izin.conftest import (
    NIK,
    NIK_LAIN,
    VERIFIKATOR,
    ajukan,
    metadata,
    selesaikan,
    verifikasi_ktp,
)
from tests.principals import citizen, officer, principal, session_client

pytestmark = pytest.mark.django_db(databases="__all__")

NAMA = "Sri Wahyuni"
# The citizen's own documents, each carrying her name (as a scanned letter or photo would).
PDF = b"%PDF-1.4\n% Surat izin lingkungan a.n. Sri Wahyuni\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0ftEXtPemilik\x00Sri Wahyuni" + bytes(17)
DIHAPUS = "Dokumen telah dihapus atas permintaan pemilik data."
LUPAKAN = EventMetadata(actor="dpo-izin", source="test", reason="permintaan warga")


def _teks(pdf: bytes) -> str:
    [page] = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(page.extract_text().split())


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _isi(row: LampiranPerbaikan) -> bytes | None:
    return store.codec.open_bytes(row.subject_id, row.isi, lampiran_associated(row.pk))


def _petugas():
    user = officer("verifikator_oss", "verifikator_oss")
    user.user_permissions.add(Permission.objects.get(codename="view_izinstatus"))
    return user


@pytest.fixture
def sri():
    return citizen("sri", NIK)


def _terbit_dengan_lampiran(sri, berkas: bytes, nama: str, jenis: str):
    """Sri's MT application: correction requested, answered with ``berkas``, approved, the
    permit delivered. Returns the application id and the attachment row."""
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(principal=principal(sri), kbli_kode="16101", nama_pemohon=NAMA)
    commands.izin_minta_perbaikan(
        principal=VERIFIKATOR, permohonan_id=pid, catatan="Lampirkan", metadata=metadata("v")
    )
    selesaikan()
    response = session_client(sri).post(
        f"/api/v1/izin/{pid}/perbaikan/",
        {"keterangan": "Terlampir", "lampiran": SimpleUploadedFile(nama, berkas, jenis)},
        format="multipart",
    )
    assert response.status_code == 200
    commands.izin_setujui(principal=VERIFIKATOR, permohonan_id=pid, metadata=metadata("v"))
    selesaikan()
    [lampiran] = LampiranPerbaikan.objects.filter(permohonan_id=pid)
    return pid, lampiran


@pytest.mark.parametrize(
    ("berkas", "nama", "jenis"),
    [(PDF, "izin.pdf", "application/pdf"), (PNG, "foto.png", "image/png")],
)
def test_stored_documents_are_sealed_and_the_downloads_open_them(sri, berkas, nama, jenis):
    pid, lampiran = _terbit_dengan_lampiran(sri, berkas, nama, jenis)
    permit = DokumenIzin.objects.get(permohonan_id=pid)

    # at rest: neither blob is clear, neither holds the name
    for stored in (bytes(permit.pdf), bytes(lampiran.isi)):
        assert is_sealed_blob(stored)
        assert not stored.startswith((b"%PDF", b"\x89PNG"))
        assert NAMA.encode() not in stored
        assert berkas[:8] not in stored
    assert permit.subject_id == lampiran.subject_id == keyed_hash(NIK)
    # the read side knows the document exists, not its bytes
    terbit = DokumenIzinTerbit.objects.get(permohonan_id=pid)
    assert terbit.kode_verifikasi == permit.kode_verifikasi
    assert "pdf" not in {f.name for f in DokumenIzinTerbit._meta.get_fields()}

    portal = _browser(sri).get(f"/izin/{pid}/dokumen/")
    api = session_client(sri).get(f"/api/v1/izin/{pid}/dokumen/", HTTP_ACCEPT="application/pdf")
    admin = _browser(_petugas()).get(f"/admin/izin/izinstatus/{pid}/lampiran/{lampiran.pk}/")

    assert (portal.status_code, api.status_code, admin.status_code) == (200, 200, 200)
    assert portal.content == api.content
    assert f"Nama pelaku usaha: {NAMA}" in _teks(portal.content)
    assert (admin["Content-Type"], admin.content) == (jenis, berkas)


def test_after_erasure_nothing_opens_and_every_door_says_the_document_was_deleted(sri):
    pid, lampiran = _terbit_dengan_lampiran(sri, PDF, "izin.pdf", "application/pdf")
    petugas = _petugas()
    accesses = IzinEvent.objects.filter(event_type="DataPribadiDiakses")
    before = accesses.count()

    store.forget_subject(keyed_hash(NIK), LUPAKAN)
    selesaikan()

    permit = DokumenIzin.objects.get(permohonan_id=pid)
    assert store.codec.open_bytes(permit.subject_id, permit.pdf, dokumen_associated(pid)) is None
    assert _isi(LampiranPerbaikan.objects.get(pk=lampiran.pk)) is None
    assert dokumen.buka_pdf(pid) is None

    portal = _browser(sri).get(f"/izin/{pid}/dokumen/")
    api = session_client(sri).get(f"/api/v1/izin/{pid}/dokumen/", HTTP_ACCEPT="application/json")
    admin = _browser(petugas).get(f"/admin/izin/izinstatus/{pid}/lampiran/{lampiran.pk}/")

    assert portal.status_code == 410
    assert DIHAPUS in portal.content.decode()
    assert (api.status_code, api.json()) == (410, {"code": "dokumen_dihapus", "detail": DIHAPUS})
    assert (admin.status_code, admin.content.decode()) == (410, DIHAPUS)
    assert b"%PDF" not in portal.content + api.content + admin.content
    assert accesses.count() == before  # nothing was shown, so no access is recorded


def test_a_permit_issued_after_erasure_keeps_no_bytes(sri):
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(principal=principal(sri), kbli_kode="16101", nama_pemohon=NAMA)
    selesaikan()
    commands.izin_setujui(principal=VERIFIKATOR, permohonan_id=pid, metadata=metadata("v"))
    store.forget_subject(keyed_hash(NIK), LUPAKAN)  # approved, not yet delivered

    selesaikan()

    assert bytes(DokumenIzin.objects.get(permohonan_id=pid).pdf) == b""
    response = session_client(sri).get(f"/api/v1/izin/{pid}/dokumen/")
    assert (response.status_code, response.json()["code"]) == (410, "dokumen_dihapus")


def test_erasing_one_applicant_leaves_anothers_documents_readable(sri):
    pid, _ = _terbit_dengan_lampiran(sri, PDF, "izin.pdf", "application/pdf")
    verifikasi_ktp(NIK_LAIN)
    selesaikan()
    lain = ajukan(nik=NIK_LAIN, nama_pemohon="Budi Santoso", nama_usaha="Toko Budi")
    selesaikan()

    store.forget_subject(keyed_hash(NIK), LUPAKAN)

    assert dokumen.buka_pdf(pid) is None
    assert "Nama pelaku usaha: Budi Santoso" in _teks(dokumen.buka_pdf(lain))


def test_a_blob_moved_to_another_row_does_not_open(sri):
    pid, lampiran = _terbit_dengan_lampiran(sri, PDF, "izin.pdf", "application/pdf")
    satu = DokumenIzin.objects.get(permohonan_id=pid)
    # a second permit of the same applicant (another business)
    dua_id = ajukan(principal=principal(sri), nama_usaha="Warung Kedua", nama_pemohon=NAMA)
    selesaikan()
    dua = DokumenIzin.objects.get(permohonan_id=dua_id)
    DokumenIzin.objects.filter(pk=dua_id).update(pdf=satu.pdf)
    salinan = LampiranPerbaikan.objects.get(pk=lampiran.pk)
    salinan.pk = None
    salinan.id = uuid.uuid4()
    salinan.save()

    with pytest.raises(InvalidTag):
        dokumen.buka_pdf(dua_id)
    with pytest.raises(InvalidTag):
        _isi(salinan)
    with pytest.raises(InvalidTag):  # the right row, another person's key
        store.codec.open_bytes(keyed_hash(NIK_LAIN), dua.pdf, dokumen_associated(dua_id))
    assert _isi(lampiran) == PDF  # the original still opens


def test_the_migration_seals_clear_blobs_left_by_earlier_versions(sri):
    """Rows written before sealing (clear bytes, no subject on the permit) are sealed for
    their applicant; an already erased applicant's clear blob is emptied; a rerun is a no-op."""
    pid, lampiran = _terbit_dengan_lampiran(sri, PDF, "izin.pdf", "application/pdf")
    clear_pdf = dokumen.buka_pdf(pid)
    DokumenIzin.objects.filter(pk=pid).update(subject_id="", pdf=clear_pdf)
    LampiranPerbaikan.objects.filter(pk=lampiran.pk).update(isi=PDF)
    verifikasi_ktp(NIK_LAIN)
    selesaikan()
    lain = ajukan(nik=NIK_LAIN, nama_pemohon="Budi Santoso", nama_usaha="Toko Budi")
    selesaikan()
    DokumenIzin.objects.filter(pk=lain).update(pdf=b"%PDF-1.4 Budi Santoso")
    store.forget_subject(keyed_hash(NIK_LAIN), LUPAKAN)
    migration = importlib.import_module("apps.izin.migrations.0010_dokumen_tersegel")
    editor = SimpleNamespace(connection=connections["izin"])

    migration.segel_blob_lama(django_apps, editor)
    sealed = bytes(DokumenIzin.objects.get(pk=pid).pdf)
    migration.segel_blob_lama(django_apps, editor)

    row = DokumenIzin.objects.get(pk=pid)
    assert (row.subject_id, bytes(row.pdf)) == (keyed_hash(NIK), sealed)
    assert is_sealed_blob(sealed)
    assert NAMA.encode() not in sealed
    assert dokumen.buka_pdf(pid) == clear_pdf
    assert _isi(LampiranPerbaikan.objects.get(pk=lampiran.pk)) == PDF
    assert bytes(DokumenIzin.objects.get(pk=lain).pdf) == b""
    assert dokumen.buka_pdf(lain) is None


# --- an erased applicant answering a correction with a document ----------------------------
DATA_DIHAPUS = (
    "Data pribadi pemohon telah dihapus atas permintaan pemilik data, jadi dokumen tidak dapat "
    "disimpan lagi."
)


@pytest.fixture
def dihapus_saat_perbaikan(sri):
    """Sri's MT application waiting for her correction; then Sri is erased (key destroyed)."""
    verifikasi_ktp(NIK)
    selesaikan()
    pid = ajukan(principal=principal(sri), kbli_kode="16101", nama_pemohon=NAMA)
    commands.izin_minta_perbaikan(
        principal=VERIFIKATOR, permohonan_id=pid, catatan="Lampirkan", metadata=metadata("v")
    )
    selesaikan()
    store.forget_subject(keyed_hash(NIK), LUPAKAN)
    selesaikan()
    return pid


def _jejak(pid) -> tuple[list[str], int]:
    """The application's events and the stored attachments: what a refusal must not change."""
    events = IzinEvent.objects.filter(stream_id=pid).order_by("version")
    return list(events.values_list("event_type", flat=True)), LampiranPerbaikan.objects.count()


def test_the_api_answers_an_erased_applicants_document_with_410_and_appends_nothing(
    sri, dihapus_saat_perbaikan
):
    pid = dihapus_saat_perbaikan
    before = _jejak(pid)

    response = session_client(sri).post(
        f"/api/v1/izin/{pid}/perbaikan/",
        {"keterangan": "Terlampir", "lampiran": SimpleUploadedFile("izin.pdf", PDF, "x")},
        format="multipart",
    )

    assert (response.status_code, response.json()) == (
        410,
        {"code": "pemohon_dihapus", "detail": DATA_DIHAPUS},
    )
    assert before[0][-1] == "PerbaikanDiminta"
    assert _jejak(pid) == before


def test_the_portal_answers_an_erased_applicants_document_with_a_410_page(
    sri, dihapus_saat_perbaikan
):
    pid = dihapus_saat_perbaikan
    before = _jejak(pid)

    response = _browser(sri).post(
        f"/izin/{pid}/perbaikan/",
        {"keterangan": "Terlampir", "lampiran": SimpleUploadedFile("izin.pdf", PDF, "x")},
    )

    assert response.status_code == 410
    page = response.content.decode()
    assert "Data pribadi dihapus" in page
    assert DATA_DIHAPUS in page
    assert _jejak(pid) == before


def test_the_refusal_reads_in_english(sri, dihapus_saat_perbaikan):
    """Needs the English catalogue entries listed in /tmp/i18n/izin10.tsv (merged later)."""
    pid = dihapus_saat_perbaikan
    berkas = {"keterangan": "Terlampir", "lampiran": SimpleUploadedFile("izin.pdf", PDF, "x")}

    api = session_client(sri).post(
        f"/api/v1/izin/{pid}/perbaikan/", berkas, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert (api.status_code, api.json()["detail"]) == (
        410,
        "The applicant's personal data was erased at the data subject's request, so no "
        "document can be stored any more.",
    )
