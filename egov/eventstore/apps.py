from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "egov.eventstore"
    label = "eventstore"
    verbose_name = "Event store"

    def ready(self) -> None:
        from egov import checks  # noqa: F401 - registers the system checks
        from egov.eventstore import hooks, projections, tasks

        # After a commit: hand each projector reading that context to a worker.
        projections.set_dispatcher(tasks.run_projector_task.delay)
        hooks.on_events_committed(projections.schedule_projectors)
