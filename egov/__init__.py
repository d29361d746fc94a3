"""egov: project package and shared kernel. It imports no bounded context."""

from egov.celery import app as celery_app

__all__ = ["celery_app"]
