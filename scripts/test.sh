#!/usr/bin/env bash
# The whole check, as `make test` runs it: lint, import contracts, Django checks, migrations in
# sync, then the suite on SQLite and (when POSTGRES_URL reaches a server) on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=egov.settings_test

echo "== ruff"; .venv/bin/ruff check .
echo "== import contracts"; .venv/bin/lint-imports --no-cache
echo "== django checks"
$PY manage.py check --fail-level WARNING
env -u POSTGRES_URL $PY manage.py makemigrations --check --dry-run

ran=()
echo "== tests on SQLite"
env -u POSTGRES_URL $PY -m pytest "$@"
ran+=(sqlite)

if $PY scripts/pg_reachable.py; then
  echo "== tests on PostgreSQL ($POSTGRES_URL)"
  $PY -m pytest "$@"
  ran+=(postgresql)
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at ${POSTGRES_URL:-<unset>}" >&2
  exit 1
else
  echo "== PostgreSQL not reachable at ${POSTGRES_URL:-<unset>}: PostgreSQL pass NOT run"
fi

# Each context on its own server, a replica and PgBouncer (tests/cluster, issue 15).
if [ "${REQUIRE_CLUSTER:-0}" = "1" ]; then
  echo "== tests on the multi-server layout (scripts/cluster.sh)"
  scripts/cluster.sh up
  trap 'scripts/cluster.sh down' EXIT
  (eval "$(scripts/cluster.sh env)"; env -u POSTGRES_URL $PY -m pytest -m cluster tests/cluster)
  scripts/cluster.sh down; trap - EXIT
  ran+=(cluster)
fi
echo "== backends run: ${ran[*]}"
