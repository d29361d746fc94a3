"""One way for the three front doors to run a use case and to record a view of personal data.

The doors hold no business logic: they resolve the principal, build the events' metadata,
call the command (which decides), and turn its answer or refusal into their own medium —
an HTTP response (API), a message (admin) or a form error (portal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.utils.translation import gettext as _
from rest_framework.response import Response

from egov.api import idempotency_model, idempotent
from egov.eventstore.admin import ActionWithFormMixin, ReadOnlyAdminMixin
from egov.eventstore.domain import DomainError
from egov.eventstore.store import get_store
from egov.portal.accounts import principal_of
from egov.principals import Principal
from egov.web import metadata_from_request

Authorize = Callable[[Principal], None]


def api_command(
    request,
    *,
    context: str,
    command: Callable[..., Any],
    respond: Callable[[Any], dict],
    input_serializer: type | None = None,
    status: int = 200,
    authorize: Authorize | None = None,
    **fields,
) -> Response:
    """Run ``command`` for the caller once per ``Idempotency-Key``. ``authorize`` refuses
    before the body is read (a caller without the role learns nothing from validation);
    refusals become 400/403/404/409 through ``egov.api.exception_handler``."""
    principal = principal_of(request)
    if authorize is not None:
        authorize(principal)

    def handle() -> Response:
        data = {}
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        metadata = metadata_from_request(request, source="api")
        result = command(principal=principal, metadata=metadata, **fields, **data)
        return Response(respond(result), status=status)

    return idempotent(request, model=idempotency_model(context), alias=context, handle=handle)


def admin_command(modeladmin, request, command: Callable[..., Any], *, label="", **fields):
    """An admin action's use case: its result, or None with the refusal shown to the officer
    (prefixed with ``label``, naming the row it was for)."""
    return _attempt(modeladmin, request, command, label, fields)[1]


def admin_command_for_each(
    modeladmin, request, rows, command: Callable[..., Any], *, target, label, **fields
) -> int:
    """An admin action over selected rows: ``command`` once per row (``target(row)`` names
    it, ``label(row)`` prefixes its refusal); returns how many succeeded."""
    done = sum(
        _attempt(modeladmin, request, command, label(row), {**target(row), **fields})[0]
        for row in rows
    )
    if done:
        modeladmin.message_user(request, _("%(n)d permohonan diproses.") % {"n": done})
    return done


def _attempt(modeladmin, request, command, label: str, fields: dict) -> tuple[bool, Any]:
    try:
        return True, command(
            principal=principal_of(request),
            metadata=metadata_from_request(request, source="admin"),
            **fields,
        )
    except DomainError as error:
        prefix = f"{label}: " if label else ""
        modeladmin.message_user(request, f"{prefix}{_(error.message)}", messages.ERROR)
        return False, None


def portal_command(request, form, command: Callable[..., Any], **fields) -> Any | None:
    """A portal form's use case: the result, or None with the refusal as the form's error."""
    try:
        return command(
            principal=principal_of(request),
            metadata=metadata_from_request(request, source="portal"),
            **fields,
        )
    except DomainError as error:
        form.add_error(None, _(error.message))
        return None


def record_view(request, *, context: str, subject_id: str, door: str, purpose: str) -> None:
    """UU PDP "who viewed my data": an officer's or integrator's read of one citizen's record
    is an event in the context's feed; the citizen reading their own record is not."""
    if principal_of(request).owns(subject_id):
        return
    get_store(context).record_access(
        subject_id=subject_id,
        door=door,
        purpose=purpose,
        metadata=metadata_from_request(request, source=door),
    )


class CommandActionsMixin:
    """Admin actions that run a context's use case once per selected row: the row's
    ``command_target`` field names the aggregate, ``row_label`` names the row in a refusal."""

    command_target = "permohonan_id"

    def row_label(self, row) -> str:
        return str(row)

    def run_command(self, request, queryset, command, **fields) -> int:
        return admin_command_for_each(
            self,
            request,
            queryset,
            command,
            target=lambda row: {self.command_target: getattr(row, self.command_target)},
            label=self.row_label,
            **fields,
        )


class RecordsViewsMixin:
    """An admin page over one citizen's record: opening it is logged for that citizen (UU PDP
    "who viewed my data"). The row's ``subject_id`` names the citizen; the model's app label
    names the context whose feed carries the access event."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        row = self.get_object(request, object_id)
        if row is not None and self.has_view_permission(request, row):
            opts = self.model._meta
            record_view(
                request,
                context=opts.app_label,
                subject_id=row.subject_id,
                door="admin",
                purpose=f"admin:{opts.app_label}_{opts.model_name}_change",
            )
        return super().change_view(request, object_id, form_url, extra_context)


class OfficerQueueAdmin(
    ActionWithFormMixin, CommandActionsMixin, RecordsViewsMixin, ReadOnlyAdminMixin, ModelAdmin
):
    """An officers' queue over a projection of citizens' requests: rows are never edited,
    actions run the context's commands (with a form where they need input), and opening a
    row is logged for its citizen."""
