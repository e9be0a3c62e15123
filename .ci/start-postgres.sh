#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster for the tests; prints shell `export` lines to eval.
#
# Usage:  eval "$(.ci/start-postgres.sh)"      ... later:  .ci/stop-postgres.sh
# The cluster lives in a fresh temp folder, listens on 127.0.0.1 on a free port,
# and runs as a non-root user (initdb/postgres refuse root). Diagnostics go to stderr;
# stdout carries only the export lines, so a failure leaves the URL unset and CI fails.
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [[ -x "$candidate/initdb" ]]; then PG_BIN="$candidate"; break; fi
    done
fi
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
    echo "start-postgres: no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin)" >&2
    exit 1
fi

# Run the server as a non-root user: the existing `postgres` account, else a created one.
as_user=()
run_user="$(id -un)"
if [[ "$(id -u)" == "0" ]]; then
    run_user="${PG_RUN_USER:-postgres}"
    if ! id "$run_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$run_user" >&2
    fi
    as_user=(runuser -u "$run_user" --)
fi

PGDATA_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/infusion-charge-pg.XXXXXX")"
chmod 755 "$PGDATA_ROOT"
if [[ "$(id -u)" == "0" ]]; then chown "$run_user" "$PGDATA_ROOT"; fi
PGDATA="$PGDATA_ROOT/data"
SOCKET_DIR="$PGDATA_ROOT"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
DB_NAME="infusion_charge_test"
DB_USER="infusion"

pwfile="$PGDATA_ROOT/pw"
printf '%s\n' "$PASSWORD" >"$pwfile"
if [[ "$(id -u)" == "0" ]]; then chown "$run_user" "$pwfile"; fi

"${as_user[@]}" "$PG_BIN/initdb" -D "$PGDATA" -U "$DB_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PGDATA_ROOT/initdb.log" 2>&1 || {
    cat "$PGDATA_ROOT/initdb.log" >&2
    echo "start-postgres: initdb failed" >&2
    exit 1
}
rm -f "$pwfile"

# Throwaway cluster: fsync stays on (the crash tests rely on real durability semantics). Checkpoints every
# 30 s spread the writes over the run: after the whole suite (hundreds of schemas made and dropped) the one
# a stop must write took a minute with the default 5 minutes.
"${as_user[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA_ROOT/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKET_DIR -c max_connections=100 -c checkpoint_timeout=30s" \
    start >&2 || {
    cat "$PGDATA_ROOT/server.log" >&2
    echo "start-postgres: the server did not start" >&2
    exit 1
}

"${as_user[@]}" "$PG_BIN/createdb" -h "$SOCKET_DIR" -p "$PORT" -U "$DB_USER" "$DB_NAME" >&2

echo "$PGDATA_ROOT" >"${INFUSION_CHARGE_PG_STATE:-${TMPDIR:-/tmp}/infusion-charge-pg.last}"
echo "export INFUSION_CHARGE_TEST_PG_URL=postgresql+psycopg://$DB_USER:$PASSWORD@127.0.0.1:$PORT/$DB_NAME"
echo "export INFUSION_CHARGE_TEST_PG_DIR=$PGDATA_ROOT"
