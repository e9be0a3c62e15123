#!/usr/bin/env bash
# Run a command (`make test` runs the test suite through it) with a PostgreSQL server for its PostgreSQL tests.
#
# Usage: .ci/with-postgres.sh COMMAND [ARG]...
# - INFUSION_CHARGE_TEST_PG_URL set: that server is used, nothing is started.
# - Otherwise a throwaway cluster is started (.ci/start-postgres.sh; the server package comes from
#   packaging/linux/system-deps.sh test when missing) and stopped afterwards, also when the command fails or
#   is interrupted (Ctrl+C).
# - When no cluster can start, the command still runs and INFUSION_CHARGE_TEST_PG_MISSING says why, so the
#   test suite can say it once; under CI=true that is a failure instead (exit 1).
# Exit status: the command's.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG]..." >&2
    exit 2
fi
if [[ -n "${INFUSION_CHARGE_TEST_PG_URL:-}" ]]; then
    exec "$@"
fi

if [[ -z "${PG_BIN:-}" ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    sh "$root/packaging/linux/system-deps.sh" test >&2 || true
fi

started_log="$(mktemp "${TMPDIR:-/tmp}/infusion-charge-pg-start.XXXXXX")"
pg_dir=""
cleanup() {
    if [[ -n "$pg_dir" ]]; then
        # Its data is deleted next: a fast stop gets 30 s for its checkpoint before an immediate one ends it.
        PG_STOP_TIMEOUT="${PG_STOP_TIMEOUT:-30}" "$here/stop-postgres.sh" "$pg_dir" \
            || echo "with-postgres: the cluster in $pg_dir was not stopped" >&2
        pg_dir=""
    fi
    rm -f "$started_log"
}
trap cleanup EXIT
# With a trap on these, bash waits for the command (which gets the same Ctrl+C and ends itself), then exits
# through the EXIT trap above with the usual 128 + signal status.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if exports="$(INFUSION_CHARGE_PG_STATE="$started_log.state" "$here/start-postgres.sh" 2>"$started_log")"; then
    eval "$exports"
    pg_dir="${INFUSION_CHARGE_TEST_PG_DIR:-}"
    rm -f "$started_log.state"
    echo "with-postgres: a throwaway PostgreSQL server for the tests (${INFUSION_CHARGE_TEST_PG_URL##*@});" \
        "stopped when they end" >&2
else
    reason="$(grep -v '^\s*$' "$started_log" | tail -n 1)"
    reason="${reason#start-postgres: }"
    rm -f "$started_log.state"
    if [[ "${CI:-}" == "true" ]]; then
        cat "$started_log" >&2
        echo "with-postgres: PostgreSQL did not start ($reason); under CI=true its tests must run" >&2
        exit 1
    fi
    export INFUSION_CHARGE_TEST_PG_MISSING="${reason:-the server did not start}"
fi

"$@"
