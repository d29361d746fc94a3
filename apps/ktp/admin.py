from django.contrib import admin

from apps.ktp.models import KtpEvent
from egov.eventstore.admin import ReadOnlyEventAdmin

admin.site.register(KtpEvent, ReadOnlyEventAdmin)
