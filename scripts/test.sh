#!/usr/bin/env bash
# The test command: installs what is missing, starts a private PostgreSQL and the SMTP test
# servers on free loopback ports, runs every test against them, stops them, and exits non-zero on
# any failure. Extra arguments go to `swift test` (for example `--filter IntegrationTests.Digest`; Tests/README.md).
#
# A full run (no arguments) then runs the reliability suite at its small size with the debug
# binary just built (scripts/reliability.sh; docs/RELIABILITY.md): 4 daemons through a SIGKILL
# every 2 s, a PostgreSQL restart, a 30 s SMTP outage and a long-open transaction, a few
# minutes. TIDINGS_SKIP_RELIABILITY=1 leaves it out. Last, the demo (scripts/demo.sh, about 20 s;
# TIDINGS_SKIP_DEMO=1 leaves it out).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/testenv/install-deps.sh
python3 scripts/testenv/check_test_layout.py

run=$(mktemp -d /tmp/tidings-test.XXXXXX)
cleanup() {
    scripts/testenv/services.sh stop "$run" || true
    rm -rf "$run"
}
trap cleanup EXIT INT TERM

swift build --build-tests
scripts/testenv/services.sh start "$run"
# shellcheck disable=SC1091
source "$run/env"
export TIDINGS_TEST_BINARY="$PWD/.build/debug/tidings"
# A full run goes in two waves: the suites that load the machine most (daemons killed in a loop,
# a Dovecot restarted under a daemon, SpamAssassin over every demo message, a hundred hostile
# rows) run after the others, so the tests that measure time (a send aborted within its grace, a
# connection reused, a scheduled email sent within a second) do not run beside them on 2 cores.
# Swift Testing otherwise starts every test at once: on CI's 2 cores that put the load average
# at 27-32 with up to 121 runnable processes, and a connection or a wake-up waited seconds for a
# core. Six at a time keeps it near 6 and the wave is no slower here (110 s against 116 s).
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-6}"
heavy='InboundReliabilityTests|DaemonReliabilityTests|DaemonSpamAssassinTests|DaemonHostileInputTests'
if [ $# -eq 0 ]; then
    swift test --skip-build --skip "$heavy"
    swift test --skip-build --filter "$heavy"
else
    swift test --skip-build "$@"
fi

if [ $# -eq 0 ] && [ "${TIDINGS_SKIP_RELIABILITY:-0}" != 1 ]; then
    scripts/testenv/services.sh stop "$run"
    scripts/reliability.sh --binary .build/debug/tidings
fi

# A full run ends with the README's first command, the demo, which fails unless deal emails with
# Cc'd participants and digests in all three languages arrived and all of them parse cleanly.
# Every message the demo wrote is then scored by SpamAssassin: no rule about its form may fire
# (scripts/testenv/spamassassin-rules.tsv lists the few allowed by name, with their reasons).
if [ $# -eq 0 ] && [ "${TIDINGS_SKIP_DEMO:-0}" != 1 ]; then
    scripts/demo.sh
    python3 scripts/testenv/spam_check.py .tidings/demo/maildir
fi
