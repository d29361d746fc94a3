from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "egov.eventstore"
    label = "eventstore"
    verbose_name = "Event store"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from egov import checks  # noqa: F401 - registers the system checks
        from egov.db import use_iso_timestamptz_loader
        from egov.eventstore import hooks, projections, tasks

        connection_created.connect(use_iso_timestamptz_loader)

        # After a commit: one task asks a worker to run each projector reading that context.
        projections.set_dispatcher(
            tasks.run_projector_task.delay, fan_out=tasks.dispatch_projectors_task.delay
        )
        hooks.on_events_committed(projections.schedule_projectors)
