#!/bin/sh
# First start of a primary (docker-entrypoint-initdb.d): a replication role for its streaming
# replica, and the server settings the feeds need (docs/operator-guide.md).
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
ALTER SYSTEM SET idle_in_transaction_session_timeout = '60s';
ALTER SYSTEM SET wal_level = 'replica';
ALTER SYSTEM SET max_wal_senders = 5;
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
