#!/usr/bin/env bash
# The reliability suite (issue 7; docs/RELIABILITY.md): 4 `tidings run` daemons against a private
# PostgreSQL and a recording SMTP sink, in five scenarios: drain, a daemon SIGKILLed every 2 s,
# PostgreSQL restarted, the SMTP server down for 30 s, a long-open transaction. Every expected
# Message-ID must arrive, duplicates only where a kill can cause them; exits non-zero otherwise.
#
# Usage: scripts/reliability.sh [--full] [--binary PATH] [--keep] [suite options]
#   (default)      2,000 outbox rows and 5,000 changes per scenario, debug build: a few minutes
#   --full         20,000 outbox rows and 50,000 changes per scenario, release build
#   --binary PATH  use this tidings executable instead of building one
#   --keep         keep the run folder (logs, sink logs, results.json) even when all passed
# Other options go to scripts/reliability/suite.py (--scenarios kill,pg-restart, --outbox N, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

full=0 keep=0 binary=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --full) full=1 ;;
        --keep) keep=1 ;;
        --binary) binary=$2; shift ;;
        *) extra+=("$1") ;;
    esac
    shift
done

scripts/testenv/install-deps.sh

if [ -z "$binary" ]; then
    if [ "$full" -eq 1 ]; then
        swift build -c release --product tidings
        binary=.build/release/tidings
    else
        swift build --product tidings
        binary=.build/debug/tidings
    fi
fi

sizes=(--outbox 2000 --changes 5000 --hold 15 --timeout 600)
[ "$full" -eq 0 ] || sizes=(--outbox 20000 --changes 50000 --hold 20 --timeout 1800)

run=$(mktemp -d /tmp/tidings-reliability.XXXXXX)
# The cluster runs as the postgres user, which must reach its folder inside.
chmod 755 "$run"
status=0
cleanup() {
    scripts/testenv/private-postgres.sh destroy "$run/pg" >/dev/null 2>&1 || true
    if [ "$keep" -eq 1 ] || [ "$status" -ne 0 ]; then
        echo "reliability run folder (logs, sink logs, results.json): $run" >&2
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 scripts/reliability/suite.py --binary "$binary" --run-dir "$run" "${sizes[@]}" \
    --json "$run/results.json" "${extra[@]}" || status=$?
exit "$status"
