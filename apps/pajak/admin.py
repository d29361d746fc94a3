from django.contrib import admin

from apps.pajak import admin_laporan  # noqa: F401 - the monthly report's pages (read side)
from apps.pajak.models import PajakEvent
from egov.eventstore.admin import ReadOnlyEventAdmin

admin.site.register(PajakEvent, ReadOnlyEventAdmin)
