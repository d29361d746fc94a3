"""A NIK typed at sign-up is only a claim: nothing of that NIK is shown or sent to the account
until a Dukcapil officer verifies it, and a false claim never locks the real owner out."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.ktp.models import KtpEvent
from egov.eventstore.pseudonym import keyed_hash
from egov.portal import claims
from egov.portal.accounts import contact_email_for
from egov.portal.models import DICABUT, DIKLAIM, DITOLAK, TERVERIFIKASI, CitizenProfile
from egov.principals import AccessDenied
from tests.ktp.conftest import LOKET, NIK, ajukan
from tests.principals import officer, principal
from tests.support import committed

pytestmark = pytest.mark.django_db(databases="__all__")


def _sign_up(username: str, nik: str = NIK) -> tuple[Client, CitizenProfile]:
    client = Client()
    form = {
        "username": username,
        "email": f"{username}@contoh.id",
        "password1": "Rahasia-Kuat-2026",
        "password2": "Rahasia-Kuat-2026",
        "nik": nik,
    }
    assert client.post("/daftar/", form).status_code == 302
    return client, CitizenProfile.objects.get(user__username=username)


def _claim_events() -> list[tuple[str, str, str]]:
    rows = KtpEvent.objects.filter(event_type="KlaimNIKDiputuskan").order_by("position")
    return [(r.payload["akun"], r.payload["keputusan"], r.metadata["actor"]) for r in rows]


def test_an_unverified_claim_sees_nothing_of_the_nik_and_gets_none_of_its_mail():
    pid = ajukan(NIK)  # the real owner's request, made at the counter
    claimant, profile = _sign_up("penyerobot")

    assert profile.status == DIKLAIM
    assert "NIK Anda belum terverifikasi" in claimant.get("/").content.decode()
    assert claimant.get(f"/ktp/{pid}/").status_code == 404
    assert claimant.get(f"/api/v1/ktp/permohonan/{pid}/").status_code == 404
    assert "3273**********01" not in claimant.get("/ktp/").content.decode()
    assert contact_email_for(keyed_hash(NIK)) is None  # no notification goes to a claim


def test_an_unverified_claim_cannot_request_a_card_and_nothing_is_written():
    claimant, _ = _sign_up("penyerobot")
    before = KtpEvent.objects.count()

    response = claimant.post(
        "/api/v1/ktp/permohonan/",
        {
            "nik": NIK,
            "nama": "Nama Palsu",
            "tanggal_lahir": "1985-08-17",
            "jenis": "BARU",
        },
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "nik_belum_terverifikasi"
    assert KtpEvent.objects.count() == before


def test_a_username_like_a_submitters_name_grants_nothing():
    pid = ajukan(NIK)  # submitted at the counter by the officer named "petugas"
    squatter = Client()
    squatter.force_login(User.objects.create_user("petugas"))  # same name, another principal

    assert squatter.get(f"/api/v1/ktp/permohonan/{pid}/").status_code == 404


def test_two_claims_on_one_nik_an_officer_verifies_the_owner_and_resolves_a_dispute():
    _, impostor = _sign_up("penyerobot")
    owner_client, owner = _sign_up("siti")  # the first claim did not lock the owner out
    with committed("ktp"):
        pid = ajukan(NIK)

    claims.verify_claim(principal=LOKET, profile_id=impostor.pk, reason="salah periksa")
    with pytest.raises(claims.InvalidState) as refused:
        claims.verify_claim(principal=LOKET, profile_id=owner.pk)
    assert refused.value.code == "nik_sudah_terverifikasi"

    claims.withdraw_claim(principal=LOKET, profile_id=impostor.pk, reason="sengketa: KTP asli")
    claims.verify_claim(principal=LOKET, profile_id=owner.pk, reason="KTP-el diperiksa")

    statuses = dict(CitizenProfile.objects.values_list("user__username", "status"))
    assert statuses == {"penyerobot": DICABUT, "siti": TERVERIFIKASI}
    assert owner_client.get(f"/ktp/{pid}/").status_code == 200
    assert contact_email_for(keyed_hash(NIK)) == "siti@contoh.id"
    assert _claim_events() == [
        (f"user:{impostor.user_id}", TERVERIFIKASI, "petugas"),
        (f"user:{impostor.user_id}", DICABUT, "petugas"),
        (f"user:{owner.user_id}", TERVERIFIKASI, "petugas"),
    ]


def test_only_a_dukcapil_officer_decides_claims_and_a_refusal_writes_nothing():
    _, profile = _sign_up("siti")
    oss = principal(officer("verifikator", "verifikator_oss"))

    with pytest.raises(AccessDenied):
        claims.verify_claim(principal=oss, profile_id=profile.pk)
    claims.reject_claim(principal=LOKET, profile_id=profile.pk, reason="KK tidak cocok")
    with pytest.raises(claims.InvalidState):
        claims.verify_claim(principal=LOKET, profile_id=profile.pk)

    profile.refresh_from_db()
    assert profile.status == DITOLAK
    assert [e[1] for e in _claim_events()] == [DITOLAK]


def test_the_admin_action_verifies_a_claim_for_the_officer():
    _, profile = _sign_up("siti")
    desk = Client()
    desk.force_login(officer("petugas-dukcapil", "petugas_dukcapil"))
    User.objects.filter(username="petugas-dukcapil").update(is_superuser=True)

    response = desk.post(
        "/admin/portal/citizenprofile/",
        {
            "action": "verifikasi",
            "_selected_action": [profile.pk],
            "apply": "1",
            "alasan": "KTP-el asli diperiksa di loket",
        },
        follow=True,
    )

    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.status == TERVERIFIKASI
    assert _claim_events() == [(f"user:{profile.user_id}", TERVERIFIKASI, "petugas-dukcapil")]
