"""Django settings for egov, configured from the environment (django-environ).

With nothing set, egov runs embedded: one SQLite file per database alias under ``var/`` and
Celery tasks executed in-process right after commit. See docs/operator-guide.md for the
real stack (PostgreSQL per context, Redis, Celery worker and beat, gunicorn).
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from egov import keys as egov_keys
from egov.databases import build_databases

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("EGOV_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# --- Secrets (egov/keys.py): four independent keys, never derived, never defaulted --------
try:
    _secrets = egov_keys.load()
except egov_keys.SecretsError as error:
    raise ImproperlyConfigured(str(error)) from None
SECRET_KEY = _secrets.values["SECRET_KEY"]
EGOV_KEYS_FILE = _secrets.keys_file  # rotation commands update it when a key came from it
EGOV_SECRET_SOURCES = _secrets.sources  # name -> where it was read (never the value)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# Bounded contexts: each is one Django app under apps/ with a write alias (its event store)
# and a read alias (its projections). Django's own apps stay on ``default``.
CONTEXTS = ["ktp", "izin", "pajak", "bansos", "audit", "notifikasi", "bus"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "oauth2_provider",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from here: docs work offline
    "axes",
    "egov.eventstore",
    "egov.portal",
    *[f"apps.{context}" for context in CONTEXTS],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files in every mode, no CDN
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "egov.middleware.RequestGuardMiddleware",  # NUL, body size, Idempotency-Key: 400/413
    "egov.middleware.DatabaseUnavailableMiddleware",  # unreachable database: 503
    "egov.db.ReadYourWritesMiddleware",  # with read replicas: who just acted reads primaries
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its 429 page
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"
ASGI_APPLICATION = "egov.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "egov" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = build_databases(env, VAR_DIR, CONTEXTS)
DATABASE_ROUTERS = ["egov.db.ContextRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Login lockout (django-axes) ---------------------------------------------------------
# After AXES_FAILURE_LIMIT wrong passwords for one username from one IP address, that pair is
# refused (429 page) for AXES_COOLOFF_MINUTES, on the portal (/masuk/) and the admin alike.
# Attempts are rows on ``default``, so every web process sees them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before checking
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15.0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_VERBOSE = False
# The client address is REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies (the load balancer)
# append to X-Forwarded-For: a client could otherwise pick any address per attempt.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
)

# --- Cache: throttling counters, shared by every process (Redis in the real stack) --------
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://egov")}
# One queued run per projector (egov/eventstore/coalesce.py): only when web and workers share
# the cache, i.e. CACHE_URL is not process memory.
_CACHE_IN_PROCESS = CACHES["default"]["BACKEND"].rsplit(".", 1)[-1] in {
    "LocMemCache",
    "DummyCache",
}
PROJECTION_COALESCE = env.bool("PROJECTION_COALESCE", default=not _CACHE_IN_PROCESS)
PROJECTION_COALESCE_SECONDS = env.float("PROJECTION_COALESCE_SECONDS", default=10.0)

# An unreachable database answers 503 with this Retry-After (seconds); egov.middleware.
SERVICE_UNAVAILABLE_RETRY_AFTER = env.int("SERVICE_UNAVAILABLE_RETRY_AFTER", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The context that is the authority on who holds a NIK: officers with its role decide citizen
# accounts' NIK claims, and the decisions are recorded in its event store.
IDENTITY_CONTEXT = "ktp"
IDENTITY_OFFICER_ROLE = "petugas_dukcapil"

# Bahasa Indonesia first, English available.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves what `collectstatic` gathered into STATIC_ROOT (`make run`/`make up` run
# it), compressed; with WHITENOISE_USE_FINDERS it serves straight from the apps (tests).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=False)
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Transport, headers and sessions -------------------------------------------------------
# Defaults suit `make run` (plain HTTP on 127.0.0.1); production sets the HTTPS values (see
# docs/security.md); `manage.py check --deploy --fail-level WARNING` must then be clean.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# Only behind a TLS-terminating proxy that overwrites X-Forwarded-Proto: otherwise a client
# could claim HTTPS itself. Opt-in.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)  # citizens
# Officers (staff) see every citizen's data: their sessions end OFFICER_SESSION_SECONDS after
# they start (default 8 h, one working day), activity or not (egov/session_policy.py).
OFFICER_SESSION_SECONDS = env.int("OFFICER_SESSION_SECONDS", default=8 * 3600)
# Content-Security-Policy (django-csp 4): scripts only from egov itself. Inline styles are
# allowed (base.html has some; styles cannot run code). The API docs are served from egov
# itself (drf-spectacular-sidecar; Swagger's start script is a separate file), but ReDoc runs
# a worker from a blob: URL, so /api/redoc/ alone has no policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/redoc/"],
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
# Placed from here to keep this policy in one place: the CSP header right after Django's
# security headers, the officer cap right after AuthenticationMiddleware (it needs the user).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "egov.session_policy.OfficerSessionMiddleware",
)
MIDDLEWARE.insert(  # after authentication: a citizen's times in their own zone (WIB/WITA/WIT)
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "egov.portal.timezone.CitizenTimezoneMiddleware",
)

# --- Personal data (UU PDP 27/2022) -----------------------------------------------------
# Master key wrapping every data subject's own key (base64, 32 bytes); during a rotation
# (manage.py rotate_master_key) the retired one is still readable as ..._PREVIOUS.
PERSONAL_DATA_MASTER_KEY = _secrets.values["PERSONAL_DATA_MASTER_KEY"]
PERSONAL_DATA_MASTER_KEY_PREVIOUS = _secrets.values.get("PERSONAL_DATA_MASTER_KEY_PREVIOUS", "")
# Key for keyed hashes (HMAC) used to look up a NIK without storing it in clear.
PSEUDONYM_KEY = _secrets.values["PSEUDONYM_KEY"]

# --- Celery -------------------------------------------------------------------------
# No broker configured: tasks run in-process (eagerly) right after the commit that
# scheduled them, so ``make run`` needs nothing installed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
# Queues per context (egov/queues.py): each context's projectors, policies and tasks on its own
# queue (prefixed by CELERY_QUEUE_PREFIX), priorities inside a queue; CELERY_QUEUE names one
# queue for everything instead (routing off).
QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default=f"{QUEUE_PREFIX}egov")
CELERY_TASK_ROUTES = ("egov.queues.route_task",)
CELERY_TASK_QUEUE_MAX_PRIORITY = 9  # RabbitMQ: queues declared with x-max-priority
# A killed worker's messages come back in minutes (docs/operator-guide.md, "Queues, workers
# and monitoring"). Acknowledged after the task ran, never before; a task whose process died
# (OOM, SIGKILL of a pool child) is rejected back to the queue, not acknowledged. Every task is
# idempotent (projectors by their checkpoint, commands by their stream version), so running
# one again is harmless. One message at a time per process: a held message is not stuck
# behind a slow one, and priorities apply to what is still queued.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Redis has no connection-bound acknowledgement: a message taken and not acknowledged within
# the visibility timeout is handed out again (kombu's default is 3600 s). 600 s, swept every
# 10 s: a killed worker's messages are back within about ten minutes. Tasks are hard-limited
# below it (a prefork child is killed at CELERY_TASK_TIME_LIMIT), so no task still running is
# handed out twice. RabbitMQ returns a dead connection's messages at once (a vanished host:
# after the AMQP heartbeat, ~2 x CELERY_BROKER_HEARTBEAT); its server-side consumer_timeout
# (rabbitmq.conf, default 30 min; we recommend 20 min) ends a consumer that is alive but holds
# a message longer than that.
BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=270)
CELERY_BROKER_HEARTBEAT = env.float("CELERY_BROKER_HEARTBEAT", default=30.0)
# Publishing must fail fast when the broker is down: a command's request must not wait for it
# (egov.eventstore.projections then runs the projection in-process and the sweep catches up).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=0.25)
# One set of options for both brokers (each transport ignores the other's): the test suite and
# tools switch brokers at run time. RabbitMQ reads the timeouts; Redis everything.
_SOCKET_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": _SOCKET_TIMEOUT,
    "read_timeout": _SOCKET_TIMEOUT,  # RabbitMQ (py-amqp)
    "write_timeout": _SOCKET_TIMEOUT,
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # Redis: one list per step; a message goes to its priority's list, 0 is served first.
    "priority_steps": [0, 3, 6, 9],
    # Fair between the queues of one worker (a group of small contexts): round robin.
    "queue_order_strategy": "round_robin",
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker still waits for its broker
# While the broker is unreachable, publishing is not retried for this long (one warning).
BROKER_OUTAGE_SECONDS = env.float("BROKER_OUTAGE_SECONDS", default=60.0)
CELERY_TIMEZONE = TIME_ZONE
FEED_READS_OWN_WRITES = False  # True only in test settings (see egov/eventstore/feed.py)
PROJECTION_SWEEP_SECONDS = env.float("PROJECTION_SWEEP_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "projections-sweep": {
        "task": "eventstore.sweep_projections",
        "schedule": PROJECTION_SWEEP_SECONDS,
    },
}

# The cross-ministry bus on NATS JetStream (apps/bus/README.md): empty = no NATS (embedded).
NATS_URL = env.str("NATS_URL", default="")

# --- API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "egov.apiauth.IntegratorAuthentication",
        "egov.apiauth.PersonalTokenAuthentication",  # before the session: no CSRF for tokens
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["egov.apiauth.IsAuthenticatedPrincipal"],
    "DEFAULT_SCHEMA_CLASS": "egov.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "egov.api.exception_handler",
    # JSON bodies bounded in size and depth (egov/parsers.py): bad input is a 400/413.
    "DEFAULT_PARSER_CLASSES": [
        "egov.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Per principal when signed in, per client address otherwise; a view may name a stricter
    # scope (throttle_scope = "publik" for public endpoints). Counters live in CACHES.
    "DEFAULT_THROTTLE_CLASSES": [
        "egov.throttles.AnonRateThrottle",
        "egov.throttles.UserRateThrottle",
        "egov.throttles.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="60/min"),
        "user": env.str("THROTTLE_USER", default="600/min"),
        "publik": env.str("THROTTLE_PUBLIK", default="30/min"),
        "bus": env.str("THROTTLE_BUS", default="120/min"),  # the bus's HTTP feed (per caller)
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Integrators (agencies, banks) get expiring OAuth2 tokens by client credentials at /o/token/;
# an admin registers each client with the scopes its agency may ask for (IntegratorGrant).
API_SCOPES = {
    "ktp:ajukan": "Mengajukan permohonan e-KTP atas nama warga",
    "ktp:baca": "Membaca status permohonan e-KTP",
    "izin:ajukan": "Mengajukan permohonan izin usaha atas nama pelaku usaha",
    "izin:baca": "Membaca status dan dokumen izin usaha",
    "pajak:baca": "Membaca statistik penerimaan pajak (dasbor dan laporan bulanan DJP)",
    "pajak:pembayaran": "Melaporkan pembayaran kode billing pajak (bank atau pos persepsi)",
    "pajak:daftar": "Mendaftarkan wajib pajak badan dan tempat kegiatan usahanya",
    # the bus's published events of one context, personal fields removed (GET /api/v1/feed/...)
    "feed:ktp": "Membaca peristiwa e-KTP yang diterbitkan (tanpa data pribadi)",
    "feed:izin": "Membaca peristiwa izin usaha yang diterbitkan (tanpa data pribadi)",
    "feed:bus": "Membaca peristiwa antarinstansi yang diterima bus (tanpa data pribadi)",
    "bansos:baca": "Membaca statistik bansos per program dan provinsi (tanpa data pribadi)",
    "bansos:penyaluran": "Membaca instruksi pembayaran bansos dan melaporkan hasil penyalurannya",
    # which channel a payment client is: it sees and reports only that channel's instructions
    **{
        f"bansos:kanal:{kanal}": f"Bertindak sebagai kanal penyaluran bansos {kanal}"
        for kanal in ("BRI", "BNI", "MANDIRI", "BTN", "BSI", "POS")
    },
    "bansos:kepatuhan": "Mencatat kepatuhan peserta PKH (sekolah, fasilitas kesehatan)",
}
# Citizens call the API with their session or a personal token made on the portal ("Akses
# API", egov/portal/personal_tokens.py): it expires after PERSONAL_TOKEN_DAYS, and an account
# holds at most PERSONAL_TOKEN_MAX_ACTIVE tokens that are neither expired nor revoked.
PERSONAL_TOKEN_DAYS = env.int("PERSONAL_TOKEN_DAYS", default=90)
PERSONAL_TOKEN_MAX_ACTIVE = env.int("PERSONAL_TOKEN_MAX_ACTIVE", default=5)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OAUTH2_TOKEN_SECONDS", default=3600),
    "SCOPES_BACKEND_CLASS": "egov.portal.scopes.GrantedScopes",
    "PKCE_REQUIRED": True,
    # OAuth 2.0 Security BCP (RFC 9700): no implicit or password grant, no plain PKCE, no
    # token in a URL, tokens stored hashed, refresh replay revokes the family, https only.
    **dict.fromkeys(
        [
            f"COMPLIANT_BCP_RFC9700_{gate}"
            for gate in (
                "IMPLICIT_GRANT",
                "PASSWORD_GRANT",
                "PKCE_METHOD",
                "ACCESS_TOKEN_TRANSPORT",
                "AUTHZ_RESPONSE_ISS",
                "TOKEN_STORAGE",
                "REFRESH_TOKEN",
                "REDIRECT_URI_SCHEME",
                "REDIRECT_URI_MATCHING",
                "PKCE_REQUIRED",
            )
        ],
        True,
    ),
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ALLOW_URI_WILDCARDS": False,
    "OAUTH2_VALIDATOR_CLASS": "egov.portal.token_cache.CachingOAuth2Validator",
}
# Integrators' token look-ups kept this long in the shared cache (egov/portal/token_cache.py;
# a revocation through Django evicts at once): off with a cache in process memory.
OAUTH2_TOKEN_CACHE_SECONDS = env.float(
    "OAUTH2_TOKEN_CACHE_SECONDS", default=0.0 if _CACHE_IN_PROCESS else 30.0
)
SPECTACULAR_SETTINGS = {
    "TITLE": "egov API",
    "DESCRIPTION": "Layanan pemerintahan elektronik: e-KTP, izin usaha, pajak, bansos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logs: one JSON object per line, with correlation ids (egov/observability/logs.py) -------
# Web, Celery workers (Celery does not take the root logger over) and the bus processes log
# the same way; LOG_FORMAT=text for a developer's terminal.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "egov.observability.logs.CorrelationFilter"}},
    "formatters": {
        "json": {"()": "egov.observability.logs.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["correlation"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Metrics (egov/observability/metrics.py): django-prometheus and egov's own, at /metrics --
# Not public: allowed from METRICS_ALLOWED_NETWORKS (CIDRs of the Prometheus servers) or with
# "Authorization: Bearer <METRICS_TOKEN>" (or METRICS_TOKEN_FILE); nothing set = refused.
INSTALLED_APPS += ["django_prometheus", "egov.observability"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "egov.observability.logs.CorrelationMiddleware",  # ids for every log line of the request
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network, strict=False)
    for network in env.list("METRICS_ALLOWED_NETWORKS", default=[])
]
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if not METRICS_TOKEN and env.str("METRICS_TOKEN_FILE", default=""):
    METRICS_TOKEN = Path(env.str("METRICS_TOKEN_FILE")).read_text().strip()
# Projector lag, queue depth and relay lag are computed when scraped (a few cheap queries).
METRICS_SCRAPE_TIME_GAUGES = env.bool("METRICS_SCRAPE_TIME_GAUGES", default=True)
PROMETHEUS_EXPORT_MIGRATIONS = False

# --- Public address and uploads -----------------------------------------------------------
# The site's absolute address, printed in documents (a permit's verification link and QR).
EGOV_SITE_URL = env.str("EGOV_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Uploaded documents (egov/uploads.py): a dotted path to a callable bytes -> ScanVerdict
# (default: accept everything; plug in a clamd client), and izin's limit per document.
EGOV_VIRUS_SCANNER = env.str("EGOV_VIRUS_SCANNER", default="egov.uploads.no_scan")
IZIN_UNGGAH_MAKS_BYTES = env.int("IZIN_UNGGAH_MAKS_BYTES", default=5 * 1024 * 1024)

# --- Audit ------------------------------------------------------------------------------
# Ed25519 private key (base64, 32 raw bytes) sealing the audit chain; rotated with
# manage.py rotate_audit_key. Public keys, by id, are served at /api/v1/audit/kunci-publik/.
AUDIT_SIGNING_KEY = _secrets.values["AUDIT_SIGNING_KEY"]
AUDIT_SEAL_EVERY = env.int("AUDIT_SEAL_EVERY", default=100)  # records per seal
AUDIT_SEAL_MINUTES = env.float("AUDIT_SEAL_MINUTES", default=10.0)  # or every M minutes

# --- Notifications (e-mail through Django's backend: console here, SMTP by configuration) ---
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="egov <noreply@egov.local>")
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=30.0)
