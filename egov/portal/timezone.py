"""Times shown to a citizen in their own zone: WIB, WITA or WIT from the province of their
NIK (its first two digits, kept in the masked NIK). Everyone else sees the default zone
(settings.TIME_ZONE, WIB). Stored times stay UTC; only rendering changes."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from egov.portal.accounts import principal_of
from egov.principals import CITIZEN
from egov.wilayah import zona_waktu


class CitizenTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = citizen_zone(request)
        if zone:
            timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def citizen_zone(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if principal_of(request).kind != CITIZEN:
        return ""
    profile = getattr(user, "citizen", None)
    return zona_waktu(profile.nik_masked[:2]) if profile and profile.nik_masked else ""
