from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
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
