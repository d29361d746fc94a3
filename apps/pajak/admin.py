from django.contrib import admin

from apps.pajak.models import PajakEvent
from egov.eventstore.admin import ReadOnlyEventAdmin

admin.site.register(PajakEvent, ReadOnlyEventAdmin)
