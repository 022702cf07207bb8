#!/usr/bin/env bash
# SMTP throughput: Tidings (libcurl through SMTPClient) beside Postfix's smtp-source, against one
# local smtp-sink, for a 2 KB message over 1 and 8 connections, in the same run.
#
#   scripts/bench-smtp.sh            # MESSAGES=20000 ROUNDS=5 CONNECTIONS="1 8" SIZE=2048
#
# Each round runs smtp-source then tidings-bench with the same message count, size, sink and
# connection count; both are timed from outside (wall clock of the whole process, connection setup
# included). The table shows the median of the rounds and their ratio (tidings / smtp-source); the
# machine is shared, so rounds alternate the two programs and the median damps the noise.
set -euo pipefail
cd "$(dirname "$0")/.."

messages=${MESSAGES:-20000}
rounds=${ROUNDS:-5}
size=${SIZE:-2048}
connection_counts=${CONNECTIONS:-"1 8"}
from=bench@example.com
to=sink@example.com

if [ ! -x /usr/sbin/smtp-sink ] || [ ! -x /usr/sbin/smtp-source ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing postfix (for smtp-sink and smtp-source)" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postfix >/dev/null
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
sink_user=()
[ "$(id -u)" -ne 0 ] || sink_user=(-u nobody)
/usr/sbin/smtp-sink "${sink_user[@]}" -a -m 1024 "127.0.0.1:$port" 1024 >/dev/null 2>&1 &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
    python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null && break
    sleep 0.1
done

swift build -c release --product tidings-bench >&2
bench="$(swift build -c release --show-bin-path)/tidings-bench"

# Prints the messages per second of one timed command.
rate() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    echo $(( messages * 1000000000 / (end - start) ))
}

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "smtp-sink on 127.0.0.1:$port, $messages messages of $size bytes per run, $rounds rounds, $(nproc) CPUs" >&2
results=()
for connections in $connection_counts; do
    source_rates=() tidings_rates=()
    for round in $(seq 1 "$rounds"); do
        source_rates+=("$(rate /usr/sbin/smtp-source -d -s "$connections" -m "$messages" -l "$size" -f "$from" -t "$to" "127.0.0.1:$port")")
        tidings_rates+=("$(rate "$bench" smtp --host 127.0.0.1 --port "$port" --connections "$connections" --messages "$messages" --size "$size" --from "$from" --to "$to")")
        echo "  connections=$connections round $round: smtp-source ${source_rates[-1]}/s, tidings ${tidings_rates[-1]}/s" >&2
    done
    results+=("$connections $(median "${source_rates[@]}") $(median "${tidings_rates[@]}")")
done

printf '\n%-12s %18s %18s %8s\n' connections "smtp-source msg/s" "tidings msg/s" ratio
for row in "${results[@]}"; do
    read -r connections source tidings <<<"$row"
    printf '%-12s %18s %18s %8s\n' "$connections" "$source" "$tidings" "$(awk -v t="$tidings" -v s="$source" 'BEGIN { printf "%.2f", t / s }')"
done
