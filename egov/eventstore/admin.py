"""Admin building blocks: events are shown, never added, changed or deleted."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse


class ReadOnlyAdminMixin:
    """For admin pages over rows that only events may change (events, read models): officers
    look, and act through admin actions that call commands."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Register a context's event model with this: history is visible and immutable."""

    list_display = ("position", "event_type", "stream_type", "stream_id", "version", "recorded_at")
    list_filter = ("event_type", "stream_type")
    search_fields = ("=stream_id", "=event_id")
    ordering = ("-position",)
    actions = None


class ActionWithFormMixin:
    """An admin action that needs the officer's input (a reason, a location): the first
    submit shows ``form_class``; the second, valid one calls ``on_valid(cleaned_data)``."""

    def action_with_form(
        self, request, queryset, form_class, action: str, on_valid, *, title: str = ""
    ):
        applying = "apply" in request.POST
        form = form_class(request.POST if applying else None, request.FILES if applying else None)
        if form.is_valid():
            on_valid(form.cleaned_data)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title or action,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/egov/action_form.html", context)
