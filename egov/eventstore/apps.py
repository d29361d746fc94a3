from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "egov.eventstore"
    label = "eventstore"
    verbose_name = "Event store"

    def ready(self) -> None:
        from egov import checks  # noqa: F401 - registers the system checks
        from egov.eventstore import tasks  # noqa: F401 - registers the Celery tasks
