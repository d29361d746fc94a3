"""Bahasa Indonesia by default; English for a browser that asks for it; a choice is kept."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(databases="__all__")
HOME_ID, HOME_EN = "Layanan pemerintahan elektronik", "Electronic government services"


@pytest.mark.parametrize("header", [None, "fr-FR,fr;q=0.9", "*"])
def test_without_a_known_preference_the_portal_is_indonesian(header):
    headers = {"accept-language": header} if header else {}

    page = Client(headers=headers).get("/").content.decode()

    assert HOME_ID in page


def test_an_english_browser_reads_english():
    assert (
        HOME_EN in Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/").content.decode()
    )


def test_a_chosen_language_is_remembered_over_the_browsers():
    client = Client(headers={"accept-language": "en-US"})
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})

    assert HOME_ID in client.get("/").content.decode()
