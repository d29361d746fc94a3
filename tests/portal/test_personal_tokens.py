"""Citizens' personal API tokens ("Akses API"): made on the portal and shown once, stored only
as a hash, acting exactly as the citizen's session, revocable, expiring, limited in number,
and worth nothing outside /api/."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from egov import clock
from egov.portal.models import DICABUT, CitizenProfile, TokenPribadi
from tests.ktp.conftest import NIK, NIK_LAIN, PERMOHONAN, URL, ajukan
from tests.principals import citizen, officer, personal_token, session_client, token_client

pytestmark = pytest.mark.django_db(databases="__all__")

TOKEN = re.compile(r"egp_[A-Za-z0-9_-]{43}")
PAGE = "/akses-api/"


def _browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(token: str, **kwargs) -> APIClient:
    client = APIClient(**kwargs)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _make_on_page(user: User, name: str = "Aplikasi keuangan saya"):
    response = _browser(user).post(PAGE, {"nama": name})
    return response, sorted(set(TOKEN.findall(response.content.decode())))


def test_a_token_made_on_the_page_is_shown_once_and_only_its_hash_is_stored(settings):
    settings.EGOV_SITE_URL = "https://layanan.egov.go.id"
    warga = citizen("warga_a", NIK)

    response, shown = _make_on_page(warga)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert len(shown) == 1  # in the copy box and the curl example, one token
    token = shown[0]
    curl = f'curl -H "Authorization: Bearer {token}" https://layanan.egov.go.id{URL}'
    assert curl in response.content.decode()
    row = TokenPribadi.objects.get()
    assert (row.user, row.nama) == (warga, "Aplikasi keuangan saya")
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:12]
    assert row.expires_at == row.created_at + timedelta(days=90)
    stored = TokenPribadi.objects.values().get()
    assert [k for k, v in stored.items() if token[len("egp_") :][:20] in str(v)] == []
    again = _browser(warga).get(PAGE).content.decode()
    assert TOKEN.findall(again) == []
    assert row.prefix in again


def test_the_token_answers_exactly_what_the_session_answers():
    warga = citizen("warga_a", NIK)
    pid = ajukan(NIK)
    token, session = token_client(warga), session_client(warga)

    for path in (f"{URL}{pid}/", f"{URL}{pid}/riwayat/"):
        by_token, by_session = token.get(path), session.get(path)
        assert (by_token.status_code, by_token.json()) == (200, by_session.json())


def test_another_citizens_token_does_not_see_the_record():
    citizen("warga_a", NIK)
    pid = ajukan(NIK)
    other = citizen("warga_b", NIK_LAIN)

    assert token_client(other).get(f"{URL}{pid}/").status_code == 404
    assert session_client(other).get(f"{URL}{pid}/").status_code == 404


def test_an_unverified_claims_token_can_do_nothing_its_session_cannot():
    citizen("warga_a", NIK)
    pid = ajukan(NIK)
    claimant = citizen("penyerobot", NIK, verified=False)
    token, session = token_client(claimant), session_client(claimant)

    assert token.get(f"{URL}{pid}/").status_code == session.get(f"{URL}{pid}/").status_code == 404
    applied = token.post(URL, PERMOHONAN, format="json")
    assert (applied.status_code, applied.json()["code"]) == (403, "nik_belum_terverifikasi")


def test_a_withdrawn_claim_takes_the_tokens_access_away_at_the_next_call():
    warga = citizen("warga_a", NIK)
    pid = ajukan(NIK)
    token = token_client(warga)
    assert token.get(f"{URL}{pid}/").status_code == 200

    CitizenProfile.objects.filter(user=warga).update(status=DICABUT)

    assert token.get(f"{URL}{pid}/").status_code == 404


def test_a_token_needs_no_csrf_token_where_a_session_does():
    warga = citizen("warga_a", NIK)
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(warga)

    by_token = token_client(warga).post(URL, PERMOHONAN, format="json")  # no CSRF token
    by_session = session.post(URL, PERMOHONAN, format="json")

    assert by_token.status_code == 202
    assert by_session.status_code == 403
    assert "CSRF" in by_session.json()["detail"]


def test_a_revoked_token_is_refused_with_401():
    warga = citizen("warga_a", NIK)
    pid = ajukan(NIK)
    _, (token,) = _make_on_page(warga)
    row = TokenPribadi.objects.get()
    page = _browser(warga)

    confirm = page.get(f"/akses-api/{row.pk}/cabut/")
    revoked = page.post(f"/akses-api/{row.pk}/cabut/")

    assert confirm.status_code == 200
    assert row.prefix in confirm.content.decode()
    assert (revoked.status_code, revoked["Location"]) == (302, PAGE)
    row.refresh_from_db()
    assert (row.revoked_at is not None, row.revoked_by) == (True, "warga_a")
    response = _bearer(token).get(f"{URL}{pid}/")
    assert (response.status_code, response.json()["code"]) == (401, "token_dicabut")
    assert response["WWW-Authenticate"] == 'Bearer realm="api",error="invalid_token"'


def test_a_citizen_cannot_revoke_another_citizens_token():
    warga = citizen("warga_a", NIK)
    personal_token(warga)
    row = TokenPribadi.objects.get()
    other = _browser(citizen("warga_b", NIK_LAIN))

    assert other.get(f"/akses-api/{row.pk}/cabut/").status_code == 404
    assert other.post(f"/akses-api/{row.pk}/cabut/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_an_expired_token_is_refused_with_401():
    warga = citizen("warga_a", NIK)
    pid = ajukan(NIK)
    token = personal_token(warga)
    expires_at = TokenPribadi.objects.get().expires_at
    client = _bearer(token)

    with clock.frozen(expires_at - timedelta(seconds=1)):
        assert client.get(f"{URL}{pid}/").status_code == 200
    with clock.frozen(expires_at):
        response = client.get(f"{URL}{pid}/")

    assert (response.status_code, response.json()["code"]) == (401, "token_kedaluwarsa")
    assert response["WWW-Authenticate"].startswith("Bearer ")


def test_an_unknown_token_is_refused_with_401():
    response = _bearer("egp_" + "x" * 43).get(f"{URL}{ajukan(NIK)}/")

    assert (response.status_code, response.json()["code"]) == (401, "token_tidak_sah")


def test_past_the_limit_the_page_says_so_and_makes_nothing(settings):
    settings.PERSONAL_TOKEN_MAX_ACTIVE = 2
    warga = citizen("warga_a", NIK)
    personal_token(warga, "satu")
    personal_token(warga, "dua")

    response, shown = _make_on_page(warga, "tiga")

    assert (response.status_code, shown) == (200, [])
    assert "sudah mencapai batas jumlah token aktif" in response.content.decode()
    assert list(TokenPribadi.objects.values_list("nama", flat=True)) == ["dua", "satu"]


def test_revoked_and_expired_tokens_leave_room_under_the_limit(settings):
    settings.PERSONAL_TOKEN_MAX_ACTIVE = 2
    warga = citizen("warga_a", NIK)
    personal_token(warga, "lama")
    personal_token(warga, "bocor")
    TokenPribadi.objects.filter(nama="lama").update(expires_at=clock.now())
    _browser(warga).post(f"/akses-api/{TokenPribadi.objects.get(nama='bocor').pk}/cabut/")

    _, shown = _make_on_page(warga, "baru")

    assert len(shown) == 1
    assert TokenPribadi.objects.count() == 3


def test_last_used_is_written_at_most_once_a_minute():
    warga = citizen("warga_a", NIK)
    pid = ajukan(NIK)
    client = token_client(warga)
    start = clock.now()

    def call_at(offset: timedelta) -> list[str]:
        with clock.frozen(start + offset), CaptureQueriesContext(connections["default"]) as q:
            assert client.get(f"{URL}{pid}/").status_code == 200
        return [s["sql"] for s in q.captured_queries if s["sql"].startswith("UPDATE")]

    first, soon, later = (call_at(timedelta(seconds=s)) for s in (0, 59, 61))

    assert (len(first), soon, len(later)) == (1, [], 1)
    assert TokenPribadi.objects.get().last_used_at == start + timedelta(seconds=61)


def test_a_token_does_not_sign_in_on_the_portal_or_the_admin():
    warga = citizen("warga_a", NIK)
    admin = officer("admin")
    admin.is_superuser = True
    admin.save()
    token = personal_token(warga)
    browser = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    for path in ("/admin/", PAGE, "/ktp/"):
        response = browser.get(path)
        assert response.status_code == 302, path
        assert "login" in response["Location"] or "masuk" in response["Location"], path


def test_a_token_stops_working_when_its_account_becomes_an_officer():
    warga = citizen("warga_a", NIK)
    client = token_client(warga)
    pid = ajukan(NIK)
    User.objects.filter(pk=warga.pk).update(is_staff=True)

    response = client.get(f"{URL}{pid}/")

    assert (response.status_code, response.json()["code"]) == (401, "token_tidak_berlaku")


def test_a_verified_citizens_home_links_to_the_page():
    assert f'href="{PAGE}"' in _browser(citizen("warga_a", NIK)).get("/").content.decode()


def test_officers_get_no_token_page_and_visitors_are_sent_to_sign_in():
    petugas = _browser(officer("petugas_dukcapil", "petugas_dukcapil"))

    assert petugas.get(PAGE).status_code == 403
    assert petugas.post(PAGE, {"nama": "skrip"}).status_code == 403
    assert Client().get(PAGE).status_code == 302
    assert TokenPribadi.objects.count() == 0


def test_making_a_token_needs_the_csrf_token():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(citizen("warga_a", NIK))

    assert browser.post(PAGE, {"nama": "skrip"}).status_code == 403
    assert TokenPribadi.objects.count() == 0


def test_a_superuser_sees_tokens_without_their_hash_and_revokes_one():
    warga = citizen("warga_a", NIK)
    personal_token(warga, "Aplikasi keuangan saya")
    row = TokenPribadi.objects.get()
    admin = officer("admin")
    admin.is_superuser = True
    admin.save()
    petugas = _browser(officer("petugas_dukcapil", "petugas_dukcapil"))
    browser = _browser(admin)
    changelist = "/admin/portal/tokenpribadi/"

    listing = browser.get(changelist).content.decode()
    detail = browser.get(f"{changelist}{row.pk}/change/").content.decode()
    browser.post(changelist, {"action": "cabut", "_selected_action": [row.pk]})

    assert row.prefix in listing
    assert row.key_hash not in listing + detail
    assert petugas.get(changelist).status_code == 403
    row.refresh_from_db()
    assert (row.revoked_at is not None, row.revoked_by) == (True, "admin")


def test_the_schema_declares_the_personal_token_scheme_on_operations():
    schema = APIClient().get("/api/schema/?format=json").json()

    scheme = schema["components"]["securitySchemes"]["tokenPribadi"]
    operation = schema["paths"]["/api/v1/ktp/permohonan/{permohonan_id}/"]["get"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert {"tokenPribadi": []} in operation["security"]
