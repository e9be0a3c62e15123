#!/usr/bin/env bash
# Stop the throwaway PostgreSQL cluster started by start-postgres.sh; delete its folder only once it is stopped.
#
# Usage: .ci/stop-postgres.sh [DIR]   (DIR defaults to $INFUSION_CHARGE_TEST_PG_DIR, then the last one started)
# Trap-friendly:  eval "$(.ci/start-postgres.sh)"; trap '.ci/stop-postgres.sh' EXIT
# Every message goes to stderr. Exit 0: stopped and deleted (or nothing to stop); 1: still running, folder kept.
# PG_STOP_TIMEOUT (seconds, default 60, as pg_ctl's own) bounds each of the two stop attempts.
set -uo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [[ -x "$candidate/pg_ctl" ]]; then PG_BIN="$candidate"; break; fi
    done
fi
state_file="${INFUSION_CHARGE_PG_STATE:-${TMPDIR:-/tmp}/infusion-charge-pg.last}"
dir="${1:-${INFUSION_CHARGE_TEST_PG_DIR:-}}"
if [[ -z "$dir" && -f "$state_file" ]]; then dir="$(cat "$state_file")"; fi
if [[ -z "$dir" || ! -d "$dir/data" ]]; then
    echo "stop-postgres: no cluster to stop" >&2
    exit 0
fi
case "$dir" in
    */infusion-charge-pg.*) ;;
    *) echo "stop-postgres: $dir is not a folder made by start-postgres.sh" >&2; exit 1 ;;
esac
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/pg_ctl" ]]; then
    echo "stop-postgres: no pg_ctl found (looked in /usr/lib/postgresql/*/bin): $dir is kept" >&2
    exit 1
fi
as_owner=()
owner="$(stat -c %U "$dir/data")"
if [[ "$(id -u)" == "0" && "$owner" != "root" ]]; then as_owner=(runuser -u "$owner" --); fi
pg_ctl=("${as_owner[@]}" "$PG_BIN/pg_ctl" -D "$dir/data")
timeout_s="${PG_STOP_TIMEOUT:-60}"

running() {
    # pg_ctl status: 0 running, 3 not running; anything else (4: data folder unreadable) counts as running,
    # so a folder is never deleted under a server that may still be writing to it.
    "${pg_ctl[@]}" status >/dev/null 2>&1
    [[ $? -ne 3 ]]
}

if running; then
    # Fast: ends the sessions at once; the shutdown checkpoint it still writes can take most of a minute
    # on a busy disk. Nothing in a throwaway cluster needs that checkpoint, so when it overruns, stop
    # immediately (as after a crash) rather than leave a server running.
    if ! "${pg_ctl[@]}" -m fast -w -t "$timeout_s" stop >&2; then
        echo "stop-postgres: a fast stop did not finish within $timeout_s s; stopping immediately" >&2
        "${pg_ctl[@]}" -m immediate -w -t "$timeout_s" stop >&2
    fi
fi
if running; then
    echo "stop-postgres: the server in $dir is still running; its folder is kept (log: $dir/server.log)" >&2
    exit 1
fi
rm -rf "$dir"
if [[ -f "$state_file" && "$(cat "$state_file")" == "$dir" ]]; then rm -f "$state_file"; fi
echo "stop-postgres: stopped; $dir deleted" >&2
