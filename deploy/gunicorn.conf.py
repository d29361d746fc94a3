"""gunicorn settings for egov (the Procfile's web line, deploy/Dockerfile, deploy/k8s).

Command-line flags override these. ASGI: GUNICORN_WORKER_CLASS=uvicorn_worker.UvicornWorker with
the app egov.asgi:application (uvicorn and uvicorn-worker: the image installs them with
--build-arg UVICORN=1)."""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"
# One JSON object per request, beside egov's JSON log lines; the request id is the one
# egov answered with (X-Request-ID), so an access line finds its application lines.
access_log_format = (
    '{"logger": "gunicorn.access", "remote": "%(h)s", "request": "%(r)s", "status": "%(s)s", '
    '"bytes": "%(B)s", "duration_us": "%(D)s", "request_id": "%({x-request-id}o)s", '
    '"correlation_id": "%({x-correlation-id}o)s"}'
)


def on_starting(server):
    # prometheus_client multiprocess mode: every worker process writes its counters there and
    # /metrics sums them. Whoever starts the host's processes empties it first (make up; a
    # container's fresh emptyDir), so it is only created here.
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
