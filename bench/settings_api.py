"""Settings of bench/api_throughput.py only (web, worker and the bench process): the test
settings (their fixed test-only keys) with the bench's plain-CRUD baseline app and route, and
the production behaviour the test settings shortcut restored (a real broker, no eager tasks,
the feed's production horizon). Never used by egov's deployments."""

import os

# Always the bench's own databases: never a developer's (an exported EGOV_DB_PREFIX) or CI's.
os.environ["EGOV_DB_PREFIX"] = "egov_bench_api"

from egov.settings_test import *  # noqa: F403
from egov.settings_test import INSTALLED_APPS, env

INSTALLED_APPS = [*INSTALLED_APPS, "bench.crud_baseline.apps.CrudBaselineConfig"]
ROOT_URLCONF = "bench.crud_baseline.urls"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")  # the script's private Redis database
CELERY_TASK_ALWAYS_EAGER = False
FEED_READS_OWN_WRITES = False  # as in production (egov/eventstore/feed.py)
