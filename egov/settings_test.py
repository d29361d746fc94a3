"""Test settings: the real settings plus ``kerneltest``, a context that exists only to
exercise the kernel (its own aliases, event table and a projection) without domain code."""

import os

# TEST-ONLY keys, fixed so that every test process and the real-worker subprocesses (which
# inherit this environment) share them. Never use them anywhere else.
TEST_KEYS = {
    "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
    "PERSONAL_DATA_MASTER_KEY": "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
    "PSEUDONYM_KEY": "dGVzdC1vbmx5LXBzZXVkb255bS1rZXktMzItYnl0ZXM=",
    "AUDIT_SIGNING_KEY": "dGVzdC1vbmx5LWF1ZGl0LXNpZ25pbmcta2V5LTMyYiE=",
}
os.environ.update(TEST_KEYS)  # before egov.settings loads them; a developer's keys never leak in
os.environ.pop("PERSONAL_DATA_MASTER_KEY_PREVIOUS", None)

from egov.databases import build_databases  # noqa: E402
from egov.settings import *  # noqa: E402, F403
from egov.settings import CONTEXTS, VAR_DIR, env  # noqa: E402

CONTEXTS = [*CONTEXTS, "kerneltest"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kerneltest"]  # noqa: F405
DATABASES = build_databases(env, VAR_DIR, CONTEXTS)
# Read databases hold only projections (no triggers, no seed data): their test copies are
# created from the models, not by replaying every migration (Django builds the whole migration
# state once per database: 16 databases made that most of the suite's time). Write databases
# and default keep their migrations; `makemigrations --check` keeps models and migrations equal.
# audit_read is the exception: the audit trail there is append-only by triggers its migrations
# create (tests/audit/test_tamper.py).
MIGRATED_READ_DATABASES = {"audit_read"}
for _alias, _config in DATABASES.items():
    if _alias.endswith("_read") and _alias not in MIGRATED_READ_DATABASES:
        _config.setdefault("TEST", {})["MIGRATE"] = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks eagerly unless a test starts a real worker (see tests/conftest.py).
CELERY_BROKER_URL = env.str("TEST_CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# TestCase runs each test in one open transaction: let its own projections see its events.
FEED_READS_OWN_WRITES = True
# Static files straight from the apps (no collectstatic before the tests).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405 - WhiteNoise warns about a missing root
