#!/bin/sh
# A streaming replica of $PRIMARY_HOST: cloned once with pg_basebackup -R (standby.signal and
# primary_conninfo written for us), then started as a hot standby.
set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -U replicator \
      -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for $PRIMARY_HOST"; sleep 2
  done
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
