"""Back office of the bus: agencies are edited here (their key, their event types, active or
not); the message log is read-only, as every event store."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.bus.models import JENIS_CHOICES, BusEvent, Instansi
from egov.eventstore.admin import ReadOnlyEventAdmin


class InstansiForm(forms.ModelForm):
    jenis_peristiwa = forms.MultipleChoiceField(
        label=_("Jenis peristiwa yang boleh dikirim"),
        choices=JENIS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Instansi
        fields = ("kode", "nama", "jenis_peristiwa", "kunci_publik", "aktif")


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    form = InstansiForm
    list_display = ("kode", "nama", "daftar_jenis", "aktif", "diperbarui_pada")
    list_filter = ("aktif",)
    search_fields = ("kode", "nama")
    readonly_fields = ("sidik",)

    def get_readonly_fields(self, request, obj=None):
        # the code is what signed envelopes name: fixed once messages may carry it
        return ("kode", "sidik") if obj else ("sidik",)

    @admin.display(description=_("Jenis peristiwa"))
    def daftar_jenis(self, obj: Instansi) -> str:
        return ", ".join(obj.jenis_peristiwa or [])

    @admin.display(description=_("Sidik kunci (SHA-256)"))
    def sidik(self, obj: Instansi) -> str:
        return obj.sidik_kunci if obj and obj.kunci_publik else ""


@admin.register(BusEvent)
class LogPesanAdmin(ReadOnlyEventAdmin):
    """The message log: one stream per message id (``PesanDiterima`` then the routed event)."""

    list_display = ("position", "event_type", "stream_id", "version", "recorded_at")
    search_fields = ("=stream_id", "=event_id")
