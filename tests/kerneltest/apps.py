from egov.context import ContextConfig


class KernelTestConfig(ContextConfig):
    name = "tests.kerneltest"
    label = "kerneltest"
    projectors = ("projections.CounterProjector",)
