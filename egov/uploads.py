"""Checks an uploaded document passes before a context stores it (kernel: any context may use
it; it imports none).

1. **Size**: at most the context's limit (``UploadTooLarge``, API 413). The door reads at most
   one byte more than the limit (``read_bounded``), so a huge upload is never held whole.
2. **Type by content**: PDF, JPEG or PNG recognised by their magic bytes, never by the file
   name or the type the client declared (``UnsupportedUpload``, API 415).
3. **Virus scan**: ``settings.EGOV_VIRUS_SCANNER``, a dotted path to a callable taking the
   bytes and returning a ``ScanVerdict`` (``InfectedUpload``, API 400). The default,
   ``no_scan``, accepts everything: a deployment plugs in its scanner (e.g. a clamd client).
   ``eicar_scanner`` recognises the EICAR anti-virus test string, for tests and smoke checks.

Refusals are ``InvalidInput`` with a stable code, an Indonesian message and the HTTP status
the API answers with (``egov.api.exception_handler`` reads ``status_code``); the portal shows
the message as a form error.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from egov.eventstore.domain import InvalidInput
from egov.principals import gettext_noop

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
MAGIC: dict[str, bytes] = {PDF: b"%PDF-", JPEG: b"\xff\xd8\xff", PNG: b"\x89PNG\r\n\x1a\n"}
EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
DOCUMENTS = (PDF, JPEG, PNG)
logger = logging.getLogger(__name__)

# The EICAR test file (eicar.org): harmless, and every anti-virus product reports it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

MSG_KOSONG = gettext_noop("Berkas yang diunggah kosong.")
MSG_TERLALU_BESAR = gettext_noop(
    "Berkas terlalu besar. Perkecil berkas (misalnya pindai dengan resolusi lebih rendah), lalu "
    "unggah lagi."
)
MSG_JENIS = gettext_noop("Jenis berkas tidak didukung: unggah PDF, JPEG atau PNG.")
MSG_TERINFEKSI = gettext_noop(
    "Berkas ditolak karena pemeriksaan virus menemukan ancaman. Periksa perangkat Anda, lalu "
    "unggah berkas yang bersih."
)

MSG_PEMINDAI_GAGAL = gettext_noop(
    "Pemeriksaan virus sedang tidak tersedia, jadi berkas belum disimpan. Coba lagi beberapa "
    "saat lagi."
)


class UploadRefused(InvalidInput):
    """An upload that may not be stored; ``status_code`` is the API's answer."""

    status_code = 400
    code = "berkas_ditolak"


class UploadTooLarge(UploadRefused):
    status_code = 413
    code = "berkas_terlalu_besar"


class UnsupportedUpload(UploadRefused):
    status_code = 415
    code = "jenis_berkas_tidak_didukung"


class InfectedUpload(UploadRefused):
    status_code = 400
    code = "berkas_terinfeksi"


class ScannerUnavailable(UploadRefused):
    """The scanner could not give a verdict: the file is refused (fail closed), as an outage."""

    status_code = 503
    code = "pemindai_tidak_tersedia"


@dataclass(frozen=True)
class ScanVerdict:
    clean: bool
    threat: str = ""  # the scanner's name for what it found (logged, not shown)


@dataclass(frozen=True)
class Upload:
    """What the door received: the name the client gave (shown only) and the bytes read."""

    name: str
    content: bytes


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    sha256: str
    size: int
    media_type: str


def read_bounded(file, max_bytes: int) -> Upload:
    """Read an uploaded file (Django's ``UploadedFile``), at most ``max_bytes + 1`` bytes:
    enough for ``check_upload`` to tell that it is too large."""
    return Upload(name=getattr(file, "name", "") or "", content=file.read(max_bytes + 1))


def media_type_of(content: bytes) -> str | None:
    """The document type the bytes are, by their magic bytes (None: not one we accept)."""
    return next((kind for kind, magic in MAGIC.items() if content.startswith(magic)), None)


def no_scan(content: bytes) -> ScanVerdict:
    """The default scanner: accepts everything (configure ``EGOV_VIRUS_SCANNER``)."""
    return ScanVerdict(clean=True)


def eicar_scanner(content: bytes) -> ScanVerdict:
    """Finds the EICAR test string anywhere in the file (real scanners: at its start)."""
    if EICAR in content:
        return ScanVerdict(clean=False, threat="EICAR-Test-File")
    return ScanVerdict(clean=True)


def scanner() -> Callable[[bytes], ScanVerdict]:
    return import_string(settings.EGOV_VIRUS_SCANNER)


def size_label(n: int) -> str:
    """A size limit as people read it (``5 MiB``), for help texts."""
    return f"{n / 1024 / 1024:g} MiB" if n >= 1024 * 1024 else f"{n} byte"


def check_upload(
    upload: Upload, *, max_bytes: int, allowed: tuple[str, ...] = DOCUMENTS
) -> CheckedUpload:
    """The upload with its hash, size and media type, or a refusal (size, type, scan)."""
    content = upload.content
    if not content:
        raise UploadRefused(MSG_KOSONG, code="berkas_kosong")
    if len(content) > max_bytes:
        raise UploadTooLarge(MSG_TERLALU_BESAR)
    media_type = media_type_of(content)
    if media_type not in allowed:
        raise UnsupportedUpload(MSG_JENIS)
    try:
        verdict = scanner()(content)
    except Exception:  # any scanner failure (timeout, daemon down): never store unscanned bytes
        logger.exception("virus scanner failed; upload refused")
        raise ScannerUnavailable(MSG_PEMINDAI_GAGAL) from None
    if not verdict.clean:
        logger.warning("upload refused by the virus scanner: %s", verdict.threat or "?")
        raise InfectedUpload(MSG_TERINFEKSI)
    return CheckedUpload(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        media_type=media_type,
    )
