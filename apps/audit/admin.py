from django.contrib import admin

from apps.audit.models import AuditEvent
from egov.eventstore.admin import ReadOnlyEventAdmin

admin.site.register(AuditEvent, ReadOnlyEventAdmin)
