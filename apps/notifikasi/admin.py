"""Back office: notifications (read-only) and the officers' resend action, which calls the
command with the officer's principal; events are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.notifikasi import commands
from apps.notifikasi.models import NotifikasiEvent, NotifikasiView
from egov.doors import admin_command_for_each
from egov.eventstore.admin import ReadOnlyAdminMixin, ReadOnlyEventAdmin

admin.site.register(NotifikasiEvent, ReadOnlyEventAdmin)


@admin.register(NotifikasiView)
class NotifikasiAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("jenis", "kanal", "status", "percobaan", "galat", "diperbarui_pada")
    list_filter = ("status", "permanen", "jenis")
    actions = ("kirim_ulang",)

    @admin.action(description=_("Kirim ulang notifikasi yang gagal"))
    def kirim_ulang(self, request, queryset):
        """Each selected notification through the command, which requires an officer
        (the principal of the request: ``egov.portal.accounts.principal_of``)."""
        admin_command_for_each(
            self,
            request,
            queryset,
            commands.notifikasi_kirim_ulang,
            target=lambda row: {"notifikasi_id": row.notifikasi_id},
            label=lambda row: row.jenis,
        )
