from django.contrib import admin

from apps.izin.models import IzinEvent
from egov.eventstore.admin import ReadOnlyEventAdmin

admin.site.register(IzinEvent, ReadOnlyEventAdmin)
