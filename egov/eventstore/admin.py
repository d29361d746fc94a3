"""Admin building blocks: events are shown, never added, changed or deleted."""

from django.contrib import admin


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
