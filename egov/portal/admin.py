"""Back office for accounts: Dukcapil officers decide NIK claims (each decision a command that
records an event); admins assign officers' offices and integrators' scopes."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from egov.eventstore.admin import ActionWithFormMixin, ReadOnlyAdminMixin
from egov.eventstore.domain import DomainError
from egov.portal import claims, personal_tokens
from egov.portal.accounts import principal_of
from egov.portal.models import CitizenProfile, IntegratorGrant, OfficerProfile, TokenPribadi


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan (dokumen yang diperiksa, dasar keputusan)"))


@admin.register(CitizenProfile)
class CitizenProfileAdmin(ActionWithFormMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Claims change only through the actions below (commands), never by editing a row."""

    list_display = ("nik_masked", "user", "status", "diputuskan_oleh", "diputuskan_pada")
    list_filter = ("status",)
    search_fields = ("=user__username", "=nik_masked")
    exclude = ("subject_id",)
    actions = ("verifikasi", "tolak", "cabut")

    @admin.action(description=_("Verifikasi klaim (warga hadir, dokumen diperiksa)"))
    def verifikasi(self, request, queryset):
        return self._dengan_alasan(request, queryset, claims.verify_claim, "verifikasi")

    @admin.action(description=_("Tolak klaim"))
    def tolak(self, request, queryset):
        return self._dengan_alasan(request, queryset, claims.reject_claim, "tolak")

    @admin.action(description=_("Cabut klaim terverifikasi (sengketa)"))
    def cabut(self, request, queryset):
        return self._dengan_alasan(request, queryset, claims.withdraw_claim, "cabut")

    def _dengan_alasan(self, request, queryset, command, action: str):
        def run(data):
            principal, done = principal_of(request), 0
            for profile in queryset:
                try:
                    command(principal=principal, profile_id=profile.pk, reason=data["alasan"])
                    done += 1
                except DomainError as error:
                    self.message_user(request, f"{profile}: {_(error.message)}", messages.ERROR)
            if done:
                self.message_user(request, _("%(n)d klaim diputuskan.") % {"n": done})

        return self.action_with_form(
            request, queryset, AlasanForm, action, run, title=_("Keputusan klaim NIK")
        )


@admin.register(OfficerProfile)
class OfficerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "kantor")
    search_fields = ("=user__username", "kantor")


@admin.register(IntegratorGrant)
class IntegratorGrantAdmin(admin.ModelAdmin):
    list_display = ("instansi", "application", "scopes")
    search_fields = ("instansi",)


@admin.register(TokenPribadi)
class TokenPribadiAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Citizens' personal API tokens, for superusers only: look (never the hash) and revoke a
    token reported leaked. Citizens make and revoke their own on the portal."""

    list_display = (
        "nama",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("=user__username", "=prefix")
    exclude = ("key_hash",)
    actions = ("cabut",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Cabut token terpilih"))
    def cabut(self, request, queryset):
        principal, done = principal_of(request), 0
        for row in queryset:
            try:
                personal_tokens.token_pribadi_cabut(principal=principal, token_id=row.pk)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{row}: {_(error.message)}", messages.WARNING)
        if done:
            self.message_user(request, _("%(n)d token dicabut.") % {"n": done})
