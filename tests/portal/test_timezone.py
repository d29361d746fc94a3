"""A citizen reads times in their own zone (from their NIK's province); others in WIB."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from egov.portal.templatetags.egov import waktu
from egov.portal.timezone import CitizenTimezoneMiddleware
from egov.wilayah import zona_waktu
from tests.principals import citizen, officer

pytestmark = pytest.mark.django_db

NIK_BANDUNG = "3273015708850001"
NIK_MAKASSAR = "7371015708850001"
NIK_JAYAPURA = "9171015708850001"
NOON_UTC = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)


def _rendered_for(user) -> str:
    """What the page's time filter prints while the middleware handles this user's request."""
    request = RequestFactory().get("/")
    request.user = user
    seen = []
    CitizenTimezoneMiddleware(lambda req: seen.append(waktu(NOON_UTC)))(request)
    return seen[0]


def test_each_citizen_reads_the_time_of_their_own_province():
    assert _rendered_for(citizen("bandung", NIK_BANDUNG)) == "29 November 2026, 12.00 WIB"
    assert _rendered_for(citizen("makassar", NIK_MAKASSAR)) == "29 November 2026, 13.00 WITA"
    assert _rendered_for(citizen("jayapura", NIK_JAYAPURA)) == "29 November 2026, 14.00 WIT"


def test_officers_and_visitors_read_wib_and_the_zone_does_not_leak_to_the_next_request():
    _rendered_for(citizen("makassar", NIK_MAKASSAR))

    assert _rendered_for(officer("petugas", "petugas_dukcapil")) == "29 November 2026, 12.00 WIB"
    assert _rendered_for(AnonymousUser()) == "29 November 2026, 12.00 WIB"
    assert timezone.get_current_timezone_name() == "Asia/Jakarta"


def test_provinces_map_to_their_legal_zone():
    assert [zona_waktu(k) for k in ("31", "61", "62", "51", "64", "73", "81", "94")] == [
        "Asia/Jakarta",
        "Asia/Jakarta",
        "Asia/Jakarta",
        "Asia/Makassar",
        "Asia/Makassar",
        "Asia/Makassar",
        "Asia/Jayapura",
        "Asia/Jayapura",
    ]
