from django.contrib import admin

from apps.bansos.models import BansosEvent
from egov.eventstore.admin import ReadOnlyEventAdmin

admin.site.register(BansosEvent, ReadOnlyEventAdmin)
