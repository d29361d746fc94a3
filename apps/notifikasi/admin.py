"""Back office: notifications (read-only) and the officers' resend action, which calls the
command with the officer's principal; events are read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.notifikasi import commands
from apps.notifikasi.models import NotifikasiEvent, NotifikasiView
from egov.eventstore.admin import ReadOnlyAdminMixin, ReadOnlyEventAdmin
from egov.eventstore.domain import DomainError
from egov.portal.accounts import principal_of
from egov.web import metadata_from_request

admin.site.register(NotifikasiEvent, ReadOnlyEventAdmin)


@admin.register(NotifikasiView)
class NotifikasiAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("jenis", "kanal", "status", "percobaan", "galat", "diperbarui_pada")
    list_filter = ("status", "permanen", "jenis")
    actions = ("kirim_ulang",)

    @admin.action(description=_("Kirim ulang notifikasi yang gagal"))
    def kirim_ulang(self, request, queryset):
        principal = principal_of(request)
        metadata = metadata_from_request(request, source="admin")
        done = 0
        for row in queryset:
            try:
                commands.notifikasi_kirim_ulang(
                    principal=principal, notifikasi_id=row.notifikasi_id, metadata=metadata
                )
                done += 1
            except DomainError as error:
                self.message_user(request, f"{row.jenis}: {_(error.message)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d notifikasi dijadwalkan ulang.") % {"n": done})
