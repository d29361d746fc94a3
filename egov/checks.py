"""System checks for the architecture rules Python imports cannot express."""

from collections.abc import Iterable

from django.apps import apps
from django.core import checks

from egov.db import alias_for_model


def relation_errors(models: Iterable[type]) -> list[checks.CheckMessage]:
    """A relation field between models on different aliases would need a cross-database join.
    Contexts store the other side's id (a UUID) instead."""
    errors = []
    for model in models:
        for field in model._meta.get_fields(include_hidden=False):
            related = getattr(field, "related_model", None)
            if not field.is_relation or related is None or not field.concrete:
                continue
            if alias_for_model(model) != alias_for_model(related):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} relates to {related._meta.label}, "
                        "which lives on another database alias.",
                        hint="Store the other context's id (UUID) instead of a relation.",
                        obj=field,
                        id="egov.E001",
                    )
                )
    return errors


@checks.register(checks.Tags.models)
def check_no_relation_across_aliases(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return relation_errors(apps.get_models())
