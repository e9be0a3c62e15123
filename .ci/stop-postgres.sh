#!/usr/bin/env bash
# Stop the throwaway PostgreSQL cluster started by start-postgres.sh and delete its folder.
#
# Usage: .ci/stop-postgres.sh [DIR]   (DIR defaults to $INFUSION_CHARGE_TEST_PG_DIR, then the last one started)
# Trap-friendly:  eval "$(.ci/start-postgres.sh)"; trap '.ci/stop-postgres.sh' EXIT
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
owner="$(stat -c %U "$dir/data")"
if [[ "$(id -u)" == "0" && "$owner" != "root" ]]; then
    runuser -u "$owner" -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
else
    "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
fi
rm -rf "$dir"
if [[ -f "$state_file" && "$(cat "$state_file")" == "$dir" ]]; then rm -f "$state_file"; fi
