"""The context template: one declaration per bounded context wires everything it plugs into.

A context's ``apps.py`` subclasses ``ContextConfig`` and *declares* what it has; ``ready()``
does the wiring the same way for every context, so a newcomer who knows one knows all:

- its event store (``<context>/store.py``, attribute ``store``) and its idempotency records
  (the model subclassing ``IdempotencyRecord``) are registered with the kernel;
- its Celery tasks (``<context>/tasks.py``) are imported so workers know them;
- ``projectors``: projectors and policies (classes, as paths inside the context package);
- ``beat``: its scheduled jobs (a mapping, or the name of a function returning one when the
  schedule comes from settings);
- ``portal_sections``: what it shows on the citizen's home page (providers are ``queries``
  functions, resolved when called, so the read side stays the only thing the portal touches);
- ``labels``: human words for its codes (statuses, stages...), shown by ``{{ code|label }}``;
- ``load_demo``: ``<context>/demo.py`` ``load_demo(stdout)`` when that module exists.

The file layout every context follows is in docs/architecture.md ("How to add a context").
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.module_loading import import_string

from egov.celery import app as celery_app
from egov.portal.labels import register_labels
from egov.portal.registry import CitizenSection, register_citizen_section


@dataclass(frozen=True)
class PortalSection:
    """A section of the citizen's home page: ``provider`` is ``"queries.<function>"``
    taking the citizen's subject id and returning a list for ``template``."""

    key: str
    title: str
    provider: str
    template: str
    order: int = 100


class ContextConfig(AppConfig):
    # Django picks the AppConfig of ``apps.py`` among the classes it sees there: never this
    # imported base, always the context's own subclass.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = True

    projectors: tuple[str, ...] = ()
    beat: dict[str, dict] | str = {}
    portal_sections: tuple[PortalSection, ...] = ()
    labels: str = ""  # e.g. "queries.LABELS": code -> human label shown by ``|label``
    # Run by ``migrate_all`` once every alias is migrated (e.g. publishing reference data
    # a data migration seeded): functions taking no argument, each idempotent.
    after_migrate: tuple[str, ...] = ()

    def ready(self) -> None:
        # Imported here: they define models, which must wait until the registry is ready.
        from egov.api import register_idempotency_model
        from egov.eventstore.models import IdempotencyRecord
        from egov.eventstore.projections import register_projector
        from egov.eventstore.store import register_store

        register_store(self._member("store.store"))
        for model in self.get_models():
            if issubclass(model, IdempotencyRecord):
                register_idempotency_model(self.label, model)
        if self._has_module("tasks"):
            import_module(f"{self.name}.tasks")
        for path in self.projectors:
            register_projector(self._member(path)())
        schedule = self._member(self.beat)() if isinstance(self.beat, str) else self.beat
        celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **schedule}
        if self.labels:
            register_labels(self._member(self.labels))
        for section in self.portal_sections:
            register_citizen_section(
                CitizenSection(
                    key=section.key,
                    title=section.title,
                    provider=self._lazy(section.provider),
                    template=section.template,
                    order=section.order,
                )
            )

    def run_after_migrate(self) -> None:
        for path in self.after_migrate:
            self._member(path)()

    def load_demo(self, stdout) -> None:
        if self._has_module("demo"):
            self._member("demo.load_demo")(stdout)

    def _member(self, path: str):
        return import_string(f"{self.name}.{path}")

    def _has_module(self, module: str) -> bool:
        return find_spec(f"{self.name}.{module}") is not None

    def _lazy(self, path: str):
        return lambda subject_id: self._member(path)(subject_id)
