"""Bench-only: a plain-CRUD DRF endpoint (one row in one table) that bench/api_throughput.py
measures egov's command API against. Loaded only by bench/settings_api.py, never by egov's
settings: it is not reachable in production."""
