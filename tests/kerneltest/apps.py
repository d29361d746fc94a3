from django.apps import AppConfig


class KernelTestConfig(AppConfig):
    name = "tests.kerneltest"
    label = "kerneltest"

    def ready(self) -> None:
        from egov.eventstore.projections import register_projector
        from egov.eventstore.store import register_store
        from tests.kerneltest.projections import CounterProjector
        from tests.kerneltest.store import store

        register_store(store)
        register_projector(CounterProjector())
