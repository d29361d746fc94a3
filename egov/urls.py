from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from oauth2_provider import views as oauth2_views

from egov import health, wilayah_api
from egov.observability.views import metrics_view

# JSON {code, detail} under /api/ (an unknown path, a malformed id, a crash), Django's pages
# elsewhere; see egov/middleware.py.
handler400 = "egov.middleware.bad_request"
handler403 = "egov.middleware.permission_denied"
handler404 = "egov.middleware.page_not_found"
handler500 = "egov.middleware.server_error"

urlpatterns = [
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    # Prometheus: allowed networks or a bearer token only (egov/observability/views.py).
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    # Integrators: client credentials -> expiring bearer token (and revocation).
    path("o/token/", oauth2_views.TokenView.as_view(), name="oauth2-token"),
    path("o/revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="oauth2-revoke"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start script as a file (no inline script: the CSP holds) and ReDoc,
    # both from local assets: the docs work on a network without internet.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Public search of the Kemendagri region table (the region pickers' source).
    path("api/v1/wilayah/", wilayah_api.WilayahCariApi.as_view(), name="wilayah-cari"),
    path("api/v1/feed/", include("apps.bus.feed_urls")),  # published events (apps/bus)
    *[
        path(f"api/v1/{c}/", include(f"apps.{c}.api_urls"))
        for c in settings.CONTEXTS
        if not c.startswith("kerneltest")
    ],
    *[
        path(f"{c}/", include(f"apps.{c}.urls"))
        for c in settings.CONTEXTS
        if not c.startswith("kerneltest")
    ],
    path("", include("egov.portal.urls")),
]
