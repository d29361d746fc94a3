"""Database aliases: one write alias (event store) and one read alias (projections) per context.

Resolution order for each alias, so development, CI and production use one code path:
1. ``DATABASE_URL_<ALIAS>`` (e.g. ``DATABASE_URL_KTP_READ``) when set;
2. ``POSTGRES_URL`` base: one PostgreSQL database per alias, named ``egov_<alias>``
   (``EGOV_DB_PREFIX`` changes the prefix, e.g. for benchmarks);
3. the embedded default: one SQLite file per alias under ``var/``.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

READ_SUFFIX = "_read"


def read_alias(context: str) -> str:
    return f"{context}{READ_SUFFIX}"


def context_aliases(contexts: list[str]) -> list[str]:
    return [alias for context in contexts for alias in (context, read_alias(context))]


def _postgres_url(base: str, alias: str, prefix: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{prefix}_{alias}", parts.query, ""))


def _sqlite_config(var_dir: Path, alias: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(var_dir / f"{alias}.sqlite3"),
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of
        # deadlocking on a lock upgrade ("database is locked").
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def alias_config(env: environ.Env, var_dir: Path, alias: str, test_suffix: str) -> dict:
    explicit = env.str(f"DATABASE_URL_{alias.upper()}", default="")
    postgres_base = env.str("POSTGRES_URL", default="")
    if explicit:
        config = environ.Env.db_url_config(explicit)
    elif postgres_base:
        prefix = env.str("EGOV_DB_PREFIX", default="egov")
        config = environ.Env.db_url_config(_postgres_url(postgres_base, alias, prefix))
    else:
        return _sqlite_config(var_dir, alias)
    config.setdefault("TEST", {})["NAME"] = f"test_{config['NAME']}{test_suffix}"
    config["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A database that does not answer must fail the request fast (a 503, see
        # egov.middleware), not hold a worker for the OS's TCP timeout (minutes).
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
    return config


def build_databases(env: environ.Env, var_dir: Path, contexts: list[str]) -> dict:
    suffix = env.str("EGOV_TEST_DB_SUFFIX", default="")
    aliases = ["default", *context_aliases(contexts)]
    return {alias: alias_config(env, var_dir, alias, suffix) for alias in aliases}
