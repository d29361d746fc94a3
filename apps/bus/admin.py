"""Back office of the bus: agencies are edited here (their key, their event types, active or
not); the message log is read-only, as every event store; poison messages parked by the NATS
door are listed with a replay action (``parkir.py``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from apps.bus.models import JENIS_CHOICES, BusEvent, Instansi, PesanTerparkir
from apps.bus.parkir import putar_ulang
from apps.bus.pintu import ACK, NAK
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


@admin.register(PesanTerparkir)
class PesanTerparkirAdmin(admin.ModelAdmin):
    """Poison messages: read-only (the envelope itself is never shown, not even sealed: it
    holds a NIK); "Putar ulang" runs each through the pipeline again once the cause is fixed."""

    list_display = (
        "subjek", "message_id", "percobaan", "galat", "diparkir_pada", "hasil",
        "diputar_ulang_pada",
    )  # fmt: skip
    list_filter = ("hasil",)
    search_fields = ("=message_id", "subjek")
    exclude = ("data", "kunci")
    readonly_fields = (
        "stream", "urutan", "subjek", "message_id", "galat", "percobaan", "diparkir_pada",
        "hasil", "diputar_ulang_pada",
    )  # fmt: skip
    actions = ("putar_ulang",)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Putar ulang pesan terpilih"), permissions=("change",))
    def putar_ulang(self, request, queryset) -> None:
        for pesan in queryset.exclude(hasil=ACK):
            keputusan = putar_ulang(pesan)
            if keputusan.tindakan == ACK:
                self.message_user(request, _("%(s)s: diterima.") % {"s": pesan})
            elif keputusan.tindakan == NAK:
                text = _("%(s)s: gagal lagi (%(e)s).") % {"s": pesan, "e": keputusan.alasan}
                self.message_user(request, text, messages.ERROR)
            else:
                text = _("%(s)s: ditolak (%(e)s).") % {"s": pesan, "e": keputusan.alasan}
                self.message_user(request, text, messages.WARNING)
