"""Back office: the audit trail (read-only), a search by citizen that keeps the NIK out of
URLs (POST form, matched through the keyed hash) and a streamed CSV export."""

from __future__ import annotations

import csv
from datetime import datetime

from django import forms
from django.contrib import admin
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit import queries
from apps.audit.models import AksesData, AuditEvent, CatatanAudit, SegelAudit
from egov.eventstore.admin import ReadOnlyAdminMixin, ReadOnlyEventAdmin
from egov.eventstore.pseudonym import keyed_hash

admin.site.register(AuditEvent, ReadOnlyEventAdmin)


class CariForm(forms.Form):
    nik = forms.CharField(label="NIK", required=False, max_length=20)
    aktor = forms.CharField(label=_("Petugas / aktor"), required=False)
    konteks = forms.CharField(label=_("Konteks"), required=False)
    event_type = forms.CharField(label=_("Jenis peristiwa"), required=False)
    dari = forms.DateField(label=_("Dari tanggal"), required=False)
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False)

    def criteria(self) -> dict:
        data = dict(self.cleaned_data)
        nik = "".join(data.pop("nik").split())
        return {**data, "subject_id": keyed_hash(nik) if nik else ""}


class _Echo:
    def write(self, value):
        return value


def csv_rows(rows):
    """Yield CSV lines one at a time (a large export neither times out nor fills memory).
    Times are local (WIB, the platform's time zone), as the screen shows them."""
    writer = csv.writer(_Echo())
    yield writer.writerow(queries.CSV_COLUMNS)
    for row in rows.iterator(chunk_size=2000):
        yield writer.writerow([_cell(getattr(row, column)) for column in queries.CSV_COLUMNS])


def _cell(value):
    return timezone.localtime(value).isoformat() if isinstance(value, datetime) else value


@admin.register(CatatanAudit)
class CatatanAuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomor", "konteks", "event_type", "aktor", "recorded_at", "hash")
    list_filter = ("konteks", "event_type")
    search_fields = ("=aktor", "=event_id", "=correlation_id")
    date_hierarchy = "recorded_at"

    def get_urls(self):
        search = path("cari/", self.admin_site.admin_view(self.cari_view), name="audit_cari")
        return [search, *super().get_urls()]

    def cari_view(self, request):
        form = CariForm(request.POST or None)
        rows = queries.cari_catatan(**form.criteria()) if form.is_valid() else None
        if rows is not None and "csv" in request.POST:
            response = StreamingHttpResponse(csv_rows(rows), content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="jejak-audit.csv"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cari jejak audit"),
            "form": form,
            "rows": rows[:200] if rows is not None else None,
            "total": rows.count() if rows is not None else 0,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/audit/cari.html", context)


@admin.register(SegelAudit)
class SegelAuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("nomor", "hash", "ditandatangani_pada")


@admin.register(AksesData)
class AksesDataAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pada", "pengakses", "konteks", "pintu", "tujuan")
    list_filter = ("konteks", "pintu")
