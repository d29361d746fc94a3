"""Database aliases: one write alias (event store) and one read alias (projections) per context.

Resolution order for each alias, so development, CI and production use one code path:
1. ``DATABASE_URL_<ALIAS>`` (e.g. ``DATABASE_URL_KTP_READ``) when set;
2. ``POSTGRES_URL`` base: one PostgreSQL database per alias, named ``egov_<alias>``
   (``EGOV_DB_PREFIX`` changes the prefix, e.g. for benchmarks);
3. the embedded default: one SQLite file per alias under ``var/``.

Two additions for a context on its own server (docs/operator-guide.md, "Each context on its
own server"):
- ``DATABASE_URL_<READ ALIAS>_REPLICA`` (e.g. ``DATABASE_URL_KTP_READ_REPLICA``) adds the
  alias ``ktp_read_replica``, a streaming replica of ``ktp_read``'s server; the router sends
  the read side's queries there (egov.db.ContextRouter). In tests it is a mirror of its
  primary (Django's ``TEST["MIRROR"]``): never created, flushed or migrated.
- An alias behind PgBouncer in transaction mode (``?pgbouncer=1`` on its URL, or
  ``DB_PGBOUNCER=1`` for every PostgreSQL alias) gets ``DISABLE_SERVER_SIDE_CURSORS``: a
  ``.iterator()`` cursor outlives its transaction, and the next statement may reach another
  server connection that never declared it.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

READ_SUFFIX = "_read"
REPLICA_SUFFIX = "_replica"
PGBOUNCER_PARAM = "pgbouncer"
PREPARE_THRESHOLD = 5  # psycopg's own default


def read_alias(context: str) -> str:
    return f"{context}{READ_SUFFIX}"


def replica_alias(alias: str) -> str:
    return f"{alias}{REPLICA_SUFFIX}"


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


def _url_config(env: environ.Env, url: str, test_suffix: str) -> dict:
    config = environ.Env.db_url_config(url)
    config.setdefault("TEST", {})["NAME"] = f"test_{config['NAME']}{test_suffix}"
    config["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        # A database that does not answer must fail the request fast (a 503, see
        # egov.middleware), not hold a worker for the OS's TCP timeout (minutes).
        options.setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=3))
        # Prepared statements are allowed (Django turns psycopg's off by default, for
        # poolers): the event store's hot statements ask for them (``egov.db.run_statement``);
        # Django's own cursors bind on the client and never prepare.
        options.setdefault("prepare_threshold", PREPARE_THRESHOLD)
        behind_pgbouncer = str(options.pop(PGBOUNCER_PARAM, "0")).lower() in ("1", "true")
        if behind_pgbouncer or env.bool("DB_PGBOUNCER", default=False):
            _for_pgbouncer(config)
    return config


def _for_pgbouncer(config: dict) -> None:
    """Transaction pooling: nothing may outlive a transaction. Server-side cursors off (see the
    module's docstring); no prepared statements (Django binds parameters on the client and
    prepares nothing, psycopg's automatic preparation is switched off as well)."""
    config["DISABLE_SERVER_SIDE_CURSORS"] = True
    options = config["OPTIONS"]
    if options.get("server_side_binding"):
        raise ValueError("server_side_binding prepares statements: not behind PgBouncer")
    options["prepare_threshold"] = None


def alias_config(env: environ.Env, var_dir: Path, alias: str, test_suffix: str) -> dict:
    explicit = env.str(f"DATABASE_URL_{alias.upper()}", default="")
    postgres_base = env.str("POSTGRES_URL", default="")
    if explicit:
        return _url_config(env, explicit, test_suffix)
    if postgres_base:
        prefix = env.str("EGOV_DB_PREFIX", default="egov")
        return _url_config(env, _postgres_url(postgres_base, alias, prefix), test_suffix)
    return _sqlite_config(var_dir, alias)


def replica_configs(env: environ.Env, databases: dict, contexts: list[str]) -> dict:
    """The read replicas configured with ``DATABASE_URL_<READ ALIAS>_REPLICA``. A replica
    holds a copy of its primary's database, so in tests it uses the primary's test database
    (``MIRROR``: Django neither creates nor flushes it)."""
    replicas = {}
    for primary in map(read_alias, contexts):
        url = env.str(f"DATABASE_URL_{replica_alias(primary).upper()}", default="")
        if not url:
            continue
        config = _url_config(env, url, "")
        config["TEST"] = {"MIRROR": primary, "NAME": databases[primary].get("TEST", {}).get("NAME")}
        replicas[replica_alias(primary)] = config
    return replicas


def build_databases(env: environ.Env, var_dir: Path, contexts: list[str]) -> dict:
    suffix = env.str("EGOV_TEST_DB_SUFFIX", default="")
    aliases = ["default", *context_aliases(contexts)]
    databases = {alias: alias_config(env, var_dir, alias, suffix) for alias in aliases}
    # Last, after every primary: whatever walks the aliases in order (create_databases,
    # migrate_all) reaches a replica after its primary's database exists.
    return {**databases, **replica_configs(env, databases, contexts)}
