"""Exit 0 when POSTGRES_URL is set and a server answers there."""

import os
import sys

import psycopg

url = os.environ.get("POSTGRES_URL", "")
if not url:
    sys.exit(1)
try:
    psycopg.connect(f"{url.rstrip('/')}/postgres", connect_timeout=3).close()
except psycopg.OperationalError:
    sys.exit(1)
