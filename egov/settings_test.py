"""Test settings: the real settings plus ``kerneltest``, a context that exists only to
exercise the kernel (its own aliases, event table and a projection) without domain code."""

from egov.databases import build_databases
from egov.settings import *  # noqa: F403
from egov.settings import CONTEXTS, VAR_DIR, env

CONTEXTS = [*CONTEXTS, "kerneltest"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kerneltest"]  # noqa: F405
DATABASES = build_databases(env, VAR_DIR, CONTEXTS)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks eagerly unless a test starts a real worker (see tests/conftest.py).
CELERY_BROKER_URL = env.str("TEST_CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# TestCase runs each test in one open transaction: let its own projections see its events.
FEED_READS_OWN_WRITES = True
