"""GET /api/v1/wilayah/: the public search of the Kemendagri region table (the pickers'
source). Exact answers; bad input is a 400 with an Indonesian message; anyone may call it, under
the anonymous throttle (a signed-in citizen under their own)."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from egov import wilayah

pytestmark = pytest.mark.django_db(databases="__all__")

URL = "/api/v1/wilayah/"
SUMBER = wilayah.sumber().atribusi


def _get(query: str, client: Client | None = None):
    response = (client or Client()).get(URL + query, HTTP_ACCEPT_LANGUAGE="id")
    return response.status_code, json.loads(response.content)


def test_kota_bandung_is_found_by_name_with_its_full_name_and_the_attribution():
    assert _get("?q=kota+bandung&tingkat=kabupaten") == (
        200,
        {
            "hasil": [
                {
                    "kode": "3273",
                    "nama": "Kota Bandung",
                    "tingkat": "kabupaten",
                    "induk": "32",
                    "nama_lengkap": "Kota Bandung, Jawa Barat",
                }
            ],
            "sumber": SUMBER,
        },
    )
    assert "Open Database License 1.0" in SUMBER


def test_bandung_finds_the_regency_and_the_city():
    status, body = _get("?q=bandung&tingkat=kabupaten")

    assert status == 200
    assert [(r["kode"], r["nama"]) for r in body["hasil"]] == [
        ("3204", "Kabupaten Bandung"),
        ("3273", "Kota Bandung"),
        ("3217", "Kabupaten Bandung Barat"),
    ]


def test_without_q_the_children_of_induk_are_listed():
    status, body = _get("?induk=327301")

    assert status == 200
    assert [(r["kode"], r["nama"], r["tingkat"], r["induk"]) for r in body["hasil"]] == [
        ("3273011001", "Sukarasa", "kelurahan", "327301"),
        ("3273011002", "Gegerkalong", "kelurahan", "327301"),
        ("3273011003", "Isola", "kelurahan", "327301"),
        ("3273011004", "Sarijadi", "kelurahan", "327301"),
    ]
    assert body["hasil"][0]["nama_lengkap"] == "Sukarasa, Sukasari, Kota Bandung, Jawa Barat"


def test_levels_may_be_repeated_and_batas_bounds_the_answer():
    status, body = _get("?q=3273&tingkat=kecamatan&tingkat=kelurahan&batas=2")

    assert status == 200
    assert [r["kode"] for r in body["hasil"]] == ["327301", "327302"]
    provinces = _get("?batas=200")[1]["hasil"]  # nothing typed, no induk: the 38 provinces
    assert [r["kode"] for r in provinces] == [r.kode for r in wilayah.anak()]
    assert len(provinces) == 38


def test_nothing_found_is_an_empty_list():
    assert _get("?q=qqqxqqq") == (200, {"hasil": [], "sumber": SUMBER})
    assert _get("?q=3204&induk=3273") == (200, {"hasil": [], "sumber": SUMBER})


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("?q=" + "a" * 101, {"q": ["Teks pencarian paling banyak 100 karakter."]}),
        (
            "?tingkat=desa",
            {
                "tingkat": [
                    'Tingkat "desa" tidak dikenal: pilih provinsi, kabupaten, kecamatan atau '
                    "kelurahan."
                ]
            },
        ),
        (
            "?induk=327",
            {"induk": ["Induk harus kode wilayah 2, 4 atau 6 digit, mis. 32 atau 3273."]},
        ),
        (
            "?induk=3273011001",
            {"induk": ["Induk harus kode wilayah 2, 4 atau 6 digit, mis. 32 atau 3273."]},
        ),
        ("?batas=0", {"batas": ["Batas harus bilangan bulat 1 sampai 200."]}),
        ("?batas=201", {"batas": ["Batas harus bilangan bulat 1 sampai 200."]}),
        ("?batas=banyak", {"batas": ["Batas harus bilangan bulat 1 sampai 200."]}),
    ],
)
def test_bad_input_is_a_400_in_indonesian(query, errors):
    assert _get(query) == (400, errors)


def test_an_answer_may_be_cached_for_an_hour():
    response = Client().get(URL + "?q=bandung")

    assert response["Cache-Control"] == "public, max-age=3600"
    assert Client().get(URL + "?tingkat=desa").get("Cache-Control") is None


@pytest.fixture
def low_rates(monkeypatch):
    """DRF reads the rates once, at import: set them on the throttle classes."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})


def test_anonymous_callers_share_the_anonymous_rate(low_rates):
    statuses = [Client().get(URL + "?q=bandung").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_signed_in_citizen_is_throttled_per_account_not_per_address(low_rates):
    for _ in range(2):
        Client().get(URL + "?q=bandung")  # the address has used the anonymous rate
    client = Client()
    client.force_login(User.objects.create_user("sari", password="x"))

    statuses = [client.get(URL + "?q=bandung").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
