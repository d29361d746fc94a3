"""Officer sessions end sooner than citizens' sessions.

An officer's session opens every citizen's data in the back office, so it lasts at most
``OFFICER_SESSION_SECONDS`` (default 8 hours: one working day) from its first request as staff,
whatever the activity; then the officer signs in again. Citizens keep ``SESSION_COOKIE_AGE``.
A middleware, not a login signal: it also caps sessions opened before this rule existed.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

# Django's own key for a session's explicit expiry (set by ``set_expiry``).
EXPIRY_KEY = "_session_expiry"


class OfficerSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            self._cap(request.session)
        return self.get_response(request)

    @staticmethod
    def _cap(session) -> None:
        # Absolute, set once: refreshing it on each request would let a session live forever.
        if EXPIRY_KEY not in session:
            session.set_expiry(timezone.now() + timedelta(seconds=settings.OFFICER_SESSION_SECONDS))
