#!/usr/bin/env bash
# Each context on its own PostgreSQL server, on this machine (issue 15; docs/operator-guide.md,
# "Each context on its own server"):
#
#   server      cluster            port  PgBouncer  holds
#   ktp         15/egov_ktp        5433  6433       ktp, ktp_read
#   izin        15/egov_izin       5434  6434       izin, izin_read
#   rest        15/egov_rest       5435  6435       default and every other context
#   replica     15/egov_ktp_replica 5436  -         streaming replica of the ktp server
#
#   scripts/cluster.sh up       create and start what is missing (idempotent)
#   scripts/cluster.sh env      the variables egov needs: eval "$(scripts/cluster.sh env)"
#   scripts/cluster.sh status   clusters, PgBouncers, replication
#   scripts/cluster.sh down     stop and remove everything `up` made
#
# REPLICA_APPLY_DELAY (e.g. 30s) sets the replica's recovery_min_apply_delay at `up` (lag tests
# change it at run time with ALTER SYSTEM + pg_reload_conf()). Test clusters: fsync is off.
# Runs as root (CI) or as a user allowed to sudo; the clusters belong to postgres, as
# pg_createcluster makes them (a cluster must not be owned by root), and so do the PgBouncers
# (PgBouncer refuses to run as root).
set -euo pipefail

VERSION=15
PREFIX=egov
STATE=/var/lib/postgresql/egov-cluster  # PgBouncer configuration, logs, pids (owned by postgres)
SERVERS=(ktp:5433:6433 izin:5434:6434 rest:5435:6435)
REPLICA_OF=ktp
REPLICA_PORT=5436
# Aliases per server (egov/settings.py CONTEXTS, plus kerneltest: the kernel tests' context).
ALIASES_ktp="ktp ktp_read"
ALIASES_izin="izin izin_read"
ALIASES_rest="default pajak pajak_read bansos bansos_read audit audit_read notifikasi
  notifikasi_read bus bus_read kerneltest kerneltest_read"
DB_PREFIX=${EGOV_DB_PREFIX:-egov}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
cluster() { echo "${PREFIX}_$1"; }
replica() { echo "${PREFIX}_${REPLICA_OF}_replica"; }
exists() { [ -d "/etc/postgresql/$VERSION/$1" ]; }
running() { pg_lsclusters -h | awk -v c="$1" '$2 == c && $4 ~ /online/ {f=1} END {exit !f}'; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() {  # port
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p "$1" && return 0; sleep 0.5; done
  echo "PostgreSQL on port $1 did not become ready" >&2; return 1
}

start() {  # cluster
  running "$1" || pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$1" start
}

create_primary() {  # name port
  local name port; name=$(cluster "$1"); port=$2
  if ! exists "$name"; then
    port_free "$port" || { echo "port $port is taken: cannot create $name" >&2; exit 1; }
    # Small and fast: a test layout. Trust on 127.0.0.1 only (no password to hand around);
    # replication connections too, for the replica's pg_basebackup.
    pg_createcluster "$VERSION" "$name" -p "$port" --start-conf manual \
      -o shared_buffers=32MB -o max_connections=150 \
      -o fsync=off -o synchronous_commit=off -o wal_level=replica -o max_wal_senders=4 \
      -o hot_standby_feedback=on -o idle_in_transaction_session_timeout=60s \
      -o log_min_messages=warning -- --auth-local=trust --auth-host=trust >/dev/null
  fi
  start "$name"
  wait_ready "$port"
}

create_replica() {
  local name primary_port port data; name=$(replica); port=$REPLICA_PORT
  primary_port=$(server_port "$REPLICA_OF")
  data=/var/lib/postgresql/$VERSION/$name
  if ! exists "$name"; then
    port_free "$port" || { echo "port $port is taken: cannot create $name" >&2; exit 1; }
    pg_createcluster "$VERSION" "$name" -p "$port" --start-conf manual \
      -o shared_buffers=32MB -o max_connections=150 \
      -o hot_standby=on -o hot_standby_feedback=on -o log_min_messages=warning \
      -- --auth-local=trust --auth-host=trust >/dev/null
    # Replace the fresh data directory by a base backup of the primary; -R writes
    # standby.signal and primary_conninfo, so it starts as a streaming replica.
    as_postgres find "$data" -mindepth 1 -delete
    as_postgres pg_basebackup -h 127.0.0.1 -p "$primary_port" -U postgres -D "$data" \
      -R -X stream -c fast
  fi
  if [ -n "${REPLICA_APPLY_DELAY:-}" ]; then
    pg_conftool "$VERSION" "$name" set recovery_min_apply_delay "$REPLICA_APPLY_DELAY"
  fi
  start "$name"
  wait_ready "$port"
  running "$name" && as_postgres psql -qAt -h 127.0.0.1 -p "$port" -c "SELECT pg_reload_conf()" >/dev/null
}

server_port() {  # name
  local s
  for s in "${SERVERS[@]}"; do
    if [ "${s%%:*}" = "$1" ]; then s=${s#*:}; echo "${s%%:*}"; fi
  done
}

ensure_pgbouncer() {
  command -v pgbouncer >/dev/null 2>&1 && return 0
  # Debian's package, installed as .ci/run installs chromium (no other download).
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
  # The package's own instance (port 6432) is not ours: leave it stopped.
  service pgbouncer stop >/dev/null 2>&1 || true
}

start_pgbouncer() {  # name server_port bouncer_port
  local ini=$STATE/pgbouncer-$1.ini
  install -d -o postgres -g postgres -m 0750 "$STATE"
  echo '"postgres" ""' | as_postgres tee "$STATE/userlist.txt" >/dev/null
  # Transaction pooling: a server connection belongs to a client for one transaction only, so
  # nothing may outlive a transaction (no session advisory lock, no WITH HOLD cursor, no
  # prepared statement: egov's aliases behind it set DISABLE_SERVER_SIDE_CURSORS, and
  # Django's client-side binding prepares nothing). A server that is down must be answered
  # fast (query_wait_timeout, server_connect_timeout) so egov turns it into a 503; after a
  # restart, server_login_retry lets the pool reconnect within a second.
  as_postgres tee "$ini" >/dev/null <<EOF
[databases]
* = host=127.0.0.1 port=$2

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $3
unix_socket_dir =
auth_type = trust
auth_file = $STATE/userlist.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 500
default_pool_size = 40
max_db_connections = 100
server_reset_query =
server_idle_timeout = 10
server_login_retry = 1
server_connect_timeout = 3
query_wait_timeout = 5
ignore_startup_parameters = extra_float_digits,options
logfile = $STATE/pgbouncer-$1.log
pidfile = $STATE/pgbouncer-$1.pid
EOF
  if ! port_free "$3"; then
    [ -f "$STATE/pgbouncer-$1.pid" ] && return 0  # ours, already running
    echo "port $3 is taken: cannot start PgBouncer for $1" >&2; exit 1
  fi
  as_postgres pgbouncer -d -q "$ini"
  for _ in $(seq 40); do port_free "$3" || return 0; sleep 0.25; done
  echo "PgBouncer for $1 did not start (see $STATE/pgbouncer-$1.log)" >&2; return 1
}

stop_pgbouncer() {  # name
  local pidfile=$STATE/pgbouncer-$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$pidfile"
}

up() {
  ensure_pgbouncer
  local s name port bouncer
  for s in "${SERVERS[@]}"; do
    IFS=: read -r name port bouncer <<<"$s"
    create_primary "$name" "$port"
  done
  create_replica
  for s in "${SERVERS[@]}"; do
    IFS=: read -r name port bouncer <<<"$s"
    start_pgbouncer "$name" "$port" "$bouncer"
  done
  status
}

down() {
  local s name port bouncer
  for s in "${SERVERS[@]}"; do
    IFS=: read -r name port bouncer <<<"$s"
    stop_pgbouncer "$name"
  done
  for name in "$(replica)" $(for s in "${SERVERS[@]}"; do cluster "${s%%:*}"; done); do
    exists "$name" && pg_dropcluster --stop "$VERSION" "$name"
  done
  rm -rf "$STATE"
  echo "egov clusters removed"
}

status() {
  pg_lsclusters | awk -v p="$PREFIX" 'NR == 1 || $2 ~ "^" p "_"'
  local s name port bouncer
  for s in "${SERVERS[@]}"; do
    IFS=: read -r name port bouncer <<<"$s"
    if port_free "$bouncer"; then echo "pgbouncer $name: port $bouncer down"
    else echo "pgbouncer $name: port $bouncer -> $port"; fi
  done
  if running "$(replica)"; then
    as_postgres psql -qAt -h 127.0.0.1 -p "$REPLICA_PORT" -c "SELECT 'replica of $REPLICA_OF: '
      || status || ', apply delay ' || current_setting('recovery_min_apply_delay')
      FROM pg_stat_wal_receiver" || true
  fi
}

env_vars() {
  local s name port bouncer alias upper
  echo "export EGOV_CLUSTER=1"
  for s in "${SERVERS[@]}"; do
    IFS=: read -r name port bouncer <<<"$s"
    local var="ALIASES_$name"
    for alias in ${!var}; do
      upper=$(echo "$alias" | tr '[:lower:]' '[:upper:]')
      echo "export DATABASE_URL_$upper=postgres://postgres@127.0.0.1:$bouncer/${DB_PREFIX}_$alias?pgbouncer=1"
    done
  done
  # Reads of ktp_read go to the replica (direct: a replica needs no pool in front for this).
  for alias in $(eval echo "\$ALIASES_$REPLICA_OF"); do
    [[ $alias == *_read ]] || continue
    upper=$(echo "$alias" | tr '[:lower:]' '[:upper:]')
    echo "export DATABASE_URL_${upper}_REPLICA=postgres://postgres@127.0.0.1:$REPLICA_PORT/${DB_PREFIX}_$alias"
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) env_vars ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
