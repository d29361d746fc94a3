"""ROOT_URLCONF of bench/settings_api.py only: egov's routes plus the baseline's, under /api/
so that the same middleware treats it as an API request (JSON errors, Idempotency-Key check)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from bench.crud_baseline.api import BarisCrudViewSet

router = SimpleRouter()
router.register("api/v1/bench-crud", BarisCrudViewSet, basename="bench-crud")

handler400 = "egov.middleware.bad_request"
handler403 = "egov.middleware.permission_denied"
handler404 = "egov.middleware.page_not_found"
handler500 = "egov.middleware.server_error"

urlpatterns = [*router.urls, path("", include("egov.urls"))]
