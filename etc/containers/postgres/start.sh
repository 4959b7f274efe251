#!/bin/sh
# Make the cluster on the first start: POSTGRES_USER owns POSTGRES_DB, with POSTGRES_PASSWORD
# (scram-sha-256 over the network). Then PostgreSQL replaces this shell as PID 1.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
user=${POSTGRES_USER:-warble}
database=${POSTGRES_DB:-warble}
bin=/usr/lib/postgresql/15/bin

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    "$bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    printf 'host all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n' \
        >> "$PGDATA/pg_hba.conf"
    "$bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w -s start
    psql -q -v ON_ERROR_STOP=1 -U postgres -d postgres \
        -v user="$user" -v password="$POSTGRES_PASSWORD" -v database="$database" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"user";
SQL
    "$bin/pg_ctl" -D "$PGDATA" -m fast -w -s stop
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
