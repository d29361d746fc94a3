"""Officers search the audit trail by citizen (NIK in a POST form, never a URL), officer,
context, type and period, and export the result as a streamed CSV."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.audit.test_chain import run_audit
from tests.ktp.conftest import NIK, NIK_LAIN, ajukan

pytestmark = pytest.mark.django_db(databases="__all__")
URL = "/admin/audit/catatanaudit/cari/"


def _officer() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("auditor", "a@x.id", "x"))
    return client


def test_search_by_nik_finds_only_that_citizens_records():
    mine, other = ajukan(NIK), ajukan(NIK_LAIN)
    run_audit()

    page = _officer().post(URL, {"nik": NIK}).content.decode()

    assert "1 catatan" in page
    assert "KTPDibuat" in page
    assert mine not in page
    assert other not in page


def test_csv_export_is_streamed_with_every_matching_record():
    ajukan(NIK)
    ajukan(NIK_LAIN)
    run_audit()

    response = _officer().post(URL, {"konteks": "ktp", "csv": "1"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["nomor", "konteks", "event_type"]
    assert [(r[1], r[2]) for r in rows[1:]] == [("ktp", "KTPDibuat"), ("ktp", "KTPDibuat")]
    assert NIK not in "".join(",".join(r) for r in rows)
    recorded = rows[0].index("recorded_at")
    assert all(r[recorded].endswith("+07:00") for r in rows[1:])  # WIB, as on screen


def test_the_audit_list_links_to_the_search():
    page = _officer().get("/admin/audit/catatanaudit/").content.decode()

    assert 'href="/admin/audit/catatanaudit/cari/"' in page
