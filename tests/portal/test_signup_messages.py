"""Sign-up says what happened: the account exists and its NIK claim awaits Dukcapil's
verification; a NIK whose region code the Kemendagri table does not know is accepted, with a
warning."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from egov.eventstore.pseudonym import keyed_hash
from egov.identity import MSG_NIK_FORMAT, WARN_KABUPATEN, WARN_KECAMATAN, WARN_PROVINSI
from egov.portal.models import DIKLAIM, CitizenProfile
from egov.portal.views import MSG_DAFTAR_BERHASIL, MSG_PERINGATAN_NIK

pytestmark = pytest.mark.django_db(databases="__all__")


def _sign_up(nik: str, username: str = "sari"):
    form = {
        "username": username,
        "email": f"{username}@contoh.id",
        "password1": "Rahasia-Kuat-2026",
        "password2": "Rahasia-Kuat-2026",
        "nik": nik,
    }
    return Client().post("/daftar/", form, follow=True)


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def _warning(template: str, kode: str) -> tuple[str, str]:
    return ("warning", MSG_PERINGATAN_NIK.format(peringatan=template.format(kode=kode)))


def test_a_sign_up_is_confirmed_and_says_the_claim_awaits_dukcapil():
    response = _sign_up("3273015708850001")  # Sukasari, Kota Bandung: a known district

    assert response.redirect_chain == [("/", 302)]
    assert _messages(response) == [("success", MSG_DAFTAR_BERHASIL)]
    assert MSG_DAFTAR_BERHASIL in response.content.decode()
    profile = CitizenProfile.objects.get(user__username="sari")
    assert (profile.subject_id, profile.status) == (keyed_hash("3273015708850001"), DIKLAIM)


@pytest.mark.parametrize(
    ("nik", "warning"),
    [
        ("9901010101900001", _warning(WARN_PROVINSI, "99")),
        ("3299010101900001", _warning(WARN_KABUPATEN, "3299")),
        ("3204011203900002", _warning(WARN_KECAMATAN, "320401")),
    ],
)
def test_an_unknown_region_is_accepted_with_a_warning(nik, warning):
    response = _sign_up(nik)

    assert response.redirect_chain == [("/", 302)]
    assert _messages(response) == [("success", MSG_DAFTAR_BERHASIL), warning]
    assert warning[1] in response.content.decode()
    profile = CitizenProfile.objects.get(user__username="sari")
    assert (profile.subject_id, profile.status) == (keyed_hash(nik), DIKLAIM)


def test_a_refused_nik_shows_the_form_error_and_no_message():
    response = _sign_up("12345")

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert response.context["form"].errors["nik"] == [MSG_NIK_FORMAT]
    assert _messages(response) == []
    assert not User.objects.filter(username="sari").exists()
