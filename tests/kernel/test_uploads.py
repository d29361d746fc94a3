"""Upload checks of the kernel (egov.uploads): a scanner outage refuses the file clearly."""

import hashlib

import pytest
from django.test import override_settings

from egov.uploads import (
    MSG_PEMINDAI_GAGAL,
    ScannerUnavailable,
    Upload,
    check_upload,
)

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def broken_scanner(content: bytes):
    raise ConnectionRefusedError("clamd is not running")


@override_settings(EGOV_VIRUS_SCANNER="tests.kernel.test_uploads.broken_scanner")
def test_a_scanner_that_fails_refuses_the_file_as_an_outage_not_a_crash():
    with pytest.raises(ScannerUnavailable) as refused:
        check_upload(Upload(name="izin.pdf", content=PDF), max_bytes=1024)

    assert (refused.value.status_code, refused.value.code) == (503, "pemindai_tidak_tersedia")
    assert str(refused.value) == MSG_PEMINDAI_GAGAL


def test_a_clean_file_passes_with_its_hash_and_type():
    checked = check_upload(Upload(name="x.bin", content=PDF), max_bytes=1024)

    assert (checked.media_type, checked.size) == ("application/pdf", len(PDF))
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
