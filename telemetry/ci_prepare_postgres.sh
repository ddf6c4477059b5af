#!/usr/bin/env bash
# Make the PostgreSQL the telemetry tests use reachable at 127.0.0.1:5432 and create its test
# database. Safe to run repeatedly; meant to be called by .ci/run before pytest:
#
#     bash telemetry/ci_prepare_postgres.sh
#
# Env: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), MODROUTE_TEST_DB (modroute_test).
# On these machines PostgreSQL is installed with trust auth on 127.0.0.1; if it is installed but
# stopped, the cluster is started. If it is not installed at all, it is installed with apt-get and
# local TCP connections are trusted (CI machines only: the server listens on loopback alone).
set -euo pipefail

host="${PGHOST:-127.0.0.1}"
port="${PGPORT:-5432}"
user="${PGUSER:-postgres}"
db="${MODROUTE_TEST_DB:-modroute_test}"

ready() { pg_isready -q -h "$host" -p "$port"; }

if ! command -v pg_isready >/dev/null 2>&1; then
    echo "ci_prepare_postgres: installing PostgreSQL (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    fresh_install=1
fi

if ! ready; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
        if [[ "${fresh_install:-0}" == 1 ]]; then
            hba="/etc/postgresql/$version/main/pg_hba.conf"
            grep -q "^host all all 127.0.0.1/32 trust" "$hba" || \
                sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
        fi
        echo "ci_prepare_postgres: starting cluster $version/main"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do
        ready && break
        sleep 1
    done
fi

if ! ready; then
    echo "ci_prepare_postgres: PostgreSQL is not reachable at $host:$port" >&2
    exit 1
fi

exists="$(psql -h "$host" -p "$port" -U "$user" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")"
if [[ "$exists" != "1" ]]; then
    psql -h "$host" -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE \"$db\""
    echo "ci_prepare_postgres: created database $db"
fi
echo "ci_prepare_postgres: PostgreSQL ready at $host:$port, database $db"
