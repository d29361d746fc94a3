from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "egov.observability"
    label = "observability"
    verbose_name = "Observability"

    def ready(self) -> None:
        # Wiring only: count appended events, carry correlation ids through Celery messages.
        from celery import signals

        from egov.eventstore import hooks
        from egov.observability import logs, metrics

        hooks.on_events_appended(metrics.count_appended)
        logs.connect_celery_signals()
        signals.worker_ready.connect(metrics.serve_worker_metrics, weak=False)
