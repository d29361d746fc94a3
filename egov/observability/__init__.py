"""Observability: Prometheus metrics (``metrics``, served at ``/metrics`` by ``views``) and
structured JSON logs carrying correlation ids across web, workers and the bus (``logs``)."""
