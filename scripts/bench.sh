#!/usr/bin/env bash
# The benchmark: every figure of Tidings beside its peer, in one run on one machine.
#
#   scripts/bench.sh              # the full run (about 5 minutes on 2 cores)
#   scripts/bench.sh --quick      # a smaller smoke run (about a minute)
#   scripts/bench.sh --only smtp,compose     # some parts: smtp wan drain fanout compose latency e2e hugecomment attachment
#
# It installs what is missing (Postfix for smtp-sink/smtp-source, PostgreSQL 15), builds the
# release binaries, starts its own PostgreSQL (fsync off, like the test cluster) and one
# smtp-sink on free loopback ports, and prints one table: figure | tidings | peer | ratio |
# target | met. "ratio" is always how fast Tidings is relative to its peer (rates: tidings ÷
# peer; times: peer ÷ tidings; for figures measured in rounds, the median of the rounds' own
# ratios). The same table goes to $BENCH_RESULTS (Markdown) with the
# machine's description. docs/RESULTS.md explains each figure and the misses.
#
# Sizes (environment; --quick lowers the defaults):
#   SMTP_MESSAGES=20000 SMTP_ROUNDS=5 SMTP_CONNECTIONS="1 8" SMTP_SIZE=2048
#   WAN_MESSAGES=200 WAN_ROUNDS=3 WAN_DELAY_MS=10 (each way: a 20 ms round trip; needs root for ip netns)
#   DRAIN_EMAILS=5000 DRAIN_CC=1 DRAIN_ROUNDS=2 (queued deal emails, To + DRAIN_CC Cc, one sending worker)
#   USERS=1000 DEALS=10000 COLLABORATORS=5 CHANGES=100000 FANOUT_ROUNDS=2
#   LATENCY_RATE=200 LATENCY_SECONDS=15 LATENCY_WORKERS=4
#   COMPOSE_ITERATIONS=20000 PYTHON_ITERATIONS=1000 COMPOSE_ROUNDS=3 E2E_WORKERS=8
#   HUGE_COMMENT_BYTES=20000000 HUGE_COMMENT_COLLABORATORS=40 ATTACHMENT_BYTES=20000000
#   BENCH_KEEP=1 keeps the run's folder (daemon logs and output, the PostgreSQL cluster)
#   BENCH_SCRATCH_PATH=.build-NAME builds there (swift build --scratch-path) instead of .build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

quick=0
parts="smtp,wan,drain,fanout,compose,latency,e2e,hugecomment,attachment"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --only) parts=$2; shift ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "bench: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
wants() { [[ ",$parts," == *",$1,"* ]]; }

if [ $quick -eq 1 ]; then
    : "${SMTP_MESSAGES:=5000}" "${SMTP_ROUNDS:=1}" "${USERS:=200}" "${DEALS:=2000}" "${CHANGES:=20000}"
    : "${FANOUT_ROUNDS:=1}" "${LATENCY_SECONDS:=5}" "${COMPOSE_ITERATIONS:=2000}" "${PYTHON_ITERATIONS:=200}"
    : "${COMPOSE_ROUNDS:=1}"
fi
SMTP_MESSAGES=${SMTP_MESSAGES:-20000} SMTP_ROUNDS=${SMTP_ROUNDS:-5} SMTP_CONNECTIONS=${SMTP_CONNECTIONS:-"1 8"}
SMTP_SIZE=${SMTP_SIZE:-2048}
WAN_MESSAGES=${WAN_MESSAGES:-200} WAN_ROUNDS=${WAN_ROUNDS:-3} WAN_DELAY_MS=${WAN_DELAY_MS:-10}
DRAIN_EMAILS=${DRAIN_EMAILS:-5000} DRAIN_CC=${DRAIN_CC:-1} DRAIN_ROUNDS=${DRAIN_ROUNDS:-2}
USERS=${USERS:-1000} DEALS=${DEALS:-10000} COLLABORATORS=${COLLABORATORS:-5} CHANGES=${CHANGES:-100000}
FANOUT_ROUNDS=${FANOUT_ROUNDS:-2}
LATENCY_RATE=${LATENCY_RATE:-200} LATENCY_SECONDS=${LATENCY_SECONDS:-15} LATENCY_WORKERS=${LATENCY_WORKERS:-4}
COMPOSE_ITERATIONS=${COMPOSE_ITERATIONS:-20000} PYTHON_ITERATIONS=${PYTHON_ITERATIONS:-1000}
COMPOSE_ROUNDS=${COMPOSE_ROUNDS:-3} E2E_WORKERS=${E2E_WORKERS:-8}
HUGE_COMMENT_BYTES=${HUGE_COMMENT_BYTES:-20000000} HUGE_COMMENT_COLLABORATORS=${HUGE_COMMENT_COLLABORATORS:-40}
ATTACHMENT_BYTES=${ATTACHMENT_BYTES:-20000000}
BENCH_SCRATCH_PATH=${BENCH_SCRATCH_PATH:-$root/.build}
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_SCRATCH_PATH/bench/results.md}

log() { echo "==> $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for_port() {   # wait_for_port PORT [HOST]
    for _ in $(seq 1 100); do
        python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('${2:-127.0.0.1}',$1)))" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "bench: nothing listens on ${2:-127.0.0.1}:$1" >&2; return 1
}
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }   # field NAME < "a=1 NAME=2"
now_ns() { date +%s%N; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

export BENCH_LOAD_START; BENCH_LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
scripts/testenv/install-deps.sh
log "building release binaries (swift build -c release)"
swift build -c release --scratch-path "$BENCH_SCRATCH_PATH" --product tidings 2>&1 | grep -E "error|warning:|Compiling|Build" >&2 || true
swift build -c release --scratch-path "$BENCH_SCRATCH_PATH" --product tidings-bench 2>&1 | grep -E "error|warning:|Build" >&2 || true
bin=$(swift build -c release --scratch-path "$BENCH_SCRATCH_PATH" --show-bin-path)
tidings=$bin/tidings bench=$bin/tidings-bench
[ -x "$tidings" ] && [ -x "$bench" ] || { echo "bench: the release build failed" >&2; exit 1; }

run=$(mktemp -d /tmp/tidings-bench.XXXXXX)
chmod 755 "$run"
daemon_pid="" sink_pid="" pg_data="$run/pg/data" wan_ns="" wan_pids=()
cleanup() {
    for pid in "${wan_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -z "$wan_ns" ] || ip netns del "$wan_ns" 2>/dev/null || true
    [ -z "$daemon_pid" ] || kill -TERM "$daemon_pid" 2>/dev/null || true
    [ -z "$sink_pid" ] || kill "$sink_pid" 2>/dev/null || true
    [ ! -d "$pg_data" ] || as_postgres /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
    if [ -n "${BENCH_KEEP:-}" ]; then log "kept $run (logs, the daemon's output, the stopped PostgreSQL cluster)"; else rm -rf "$run"; fi
}
trap cleanup EXIT INT TERM
results=$run/results.tsv
: > "$results"
# One row of the table: key, tidings, peer, target description, met (yes/no/-), a label and,
# for figures measured in rounds, the ratio as the median of each round's own ratio (the two
# programs of a round run back to back, so a neighbour's load spike skews both alike).
# Each row also carries the 1-minute load average when its part began: on a shared machine a
# neighbour's load changes the numbers, and the table says when it was there.
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:-}" "$part_load" >> "$results"; }
part_load=""
begin_part() {
    part_load=$(cut -d' ' -f1 /proc/loadavg)
    log "$* (load average $part_load)"
    if awk -v l="$part_load" -v n="$(nproc)" 'BEGIN { exit !(l > n) }'; then
        echo "    warning: the machine is busy (load $part_load on $(nproc) CPUs): these numbers measure the contention too" >&2
    fi
}
ratios() { paste -d' ' <(printf '%s\n' $1) <(printf '%s\n' $2) | awk '{ printf "%.4f\n", $1 / $2 }'; }   # ratios "T1 T2" "P1 P2"
# record_rounds KEY TARGET LABEL: a rate measured in rounds (the arrays tidings_rates and
# source_rates), recorded as both medians and the median of the rounds' own ratios, met when
# that ratio is at least TARGET.
record_rounds() {
    local s t r met
    s=$(median "${source_rates[@]}") t=$(median "${tidings_rates[@]}")
    r=$(median $(ratios "${tidings_rates[*]}" "${source_rates[*]}"))
    met=$(awk -v r="$r" -v g="$2" 'BEGIN { print (r >= g) ? "yes" : "no" }')
    record "$1" "$t" "$s" "≥ $2×" "$met" "$3" "$r"
}

# --- services -------------------------------------------------------------------------------
log "starting PostgreSQL 15 (fsync off) and smtp-sink in $run"
pg_port=$(free_port)
mkdir -p "$run/pg"
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$run/pg"
printf 'bench\n' > "$run/pg/pwfile"
[ "$(id -u)" -ne 0 ] || chown postgres "$run/pg/pwfile"
as_postgres /usr/lib/postgresql/15/bin/initdb -D "$pg_data" -U postgres --pwfile="$run/pg/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$run/pg/initdb.log" 2>&1
cat >> "$pg_data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$run/pg'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 256MB
log_min_messages = warning
CONF
as_postgres /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_data" -l "$run/pg/server.log" -w start >/dev/null
db="postgresql://postgres:bench@127.0.0.1:$pg_port/crm"
psql -X -q -d "${db%/*}/postgres" -c "CREATE DATABASE crm"
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"; }
value() { psql -X -A -t -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

sink_port=$(free_port)
sink_user=()
[ "$(id -u)" -ne 0 ] || sink_user=(-u nobody)
/usr/sbin/smtp-sink "${sink_user[@]}" -a "127.0.0.1:$sink_port" 1024 >/dev/null 2>&1 &
sink_pid=$!
wait_for_port "$sink_port"

export TIDINGS_DATABASE_URL=$db TIDINGS_SMTP_URL="smtp://127.0.0.1:$sink_port" TIDINGS_TEMPLATES=$root/templates
export TIDINGS_FROM='"Bench CRM" <crm@bench.example>'
config() {   # config FILE WORKERS
    printf 'smtp:\n  workers: %s\n' "$2" > "$1"
}

# crm_database NAME: a database of its own with Tidings' schema and the reference CRM's; prints its URL.
crm_database() {
    local url="${db%/*}/$1"
    psql -X -q -d "${db%/*}/postgres" -c "CREATE DATABASE $1"
    TIDINGS_DATABASE_URL=$url "$tidings" migrate >/dev/null 2>&1   # the views come next
    for file in deploy/crm/01-schema.sql deploy/crm/02-triggers.sql deploy/crm/03-directory-views.sql; do
        psql -X -q -v ON_ERROR_STOP=1 -d "$url" -f "$file" >&2
    done
    echo "$url"
}

dataset_loaded=0
load_dataset() {
    [ $dataset_loaded -eq 0 ] || return 0
    log "loading the CRM: $USERS users, $DEALS deals x $COLLABORATORS collaborators; $CHANGES changes"
    "$tidings" migrate >/dev/null
    for file in deploy/crm/01-schema.sql deploy/crm/02-triggers.sql deploy/crm/03-directory-views.sql; do sql -f "$file"; done
    sql -v users="$USERS" -v deals="$DEALS" -v collaborators="$COLLABORATORS" -f scripts/bench/dataset.sql
    sql -v users="$USERS" -v deals="$DEALS" -v collaborators="$COLLABORATORS" -v changes="$CHANGES" -f scripts/bench/changes.sql
    sql -c "VACUUM ANALYZE"
    dataset_loaded=1
}

# --- 1. SMTP ---------------------------------------------------------------------------------
smtp_source_rate8=""
if wants smtp; then
    begin_part "SMTP: $SMTP_MESSAGES messages of $SMTP_SIZE bytes, $SMTP_ROUNDS rounds, connections: $SMTP_CONNECTIONS"
    # Runs one command timed from outside (connection setup included); prints "rate client_us sink_us":
    # messages per second, and CPU microseconds per message of the client and of smtp-sink.
    timed() {
        local start end sink_before sink_after
        sink_before=$(cpu_ticks "$sink_pid")
        start=$(now_ns)
        /usr/bin/time -f "%U %S" -o "$run/time.out" "$@" >/dev/null
        end=$(now_ns)
        sink_after=$(cpu_ticks "$sink_pid")
        read -r user system < "$run/time.out"
        awk -v n="$SMTP_MESSAGES" -v ns=$((end - start)) -v u="$user" -v s="$system" -v sk=$((sink_after - sink_before)) -v hz="$(getconf CLK_TCK)" \
            'BEGIN { printf "%.0f %.1f %.1f\n", n / (ns / 1e9), (u + s) * 1e6 / n, sk / hz * 1e6 / n }'
    }
    for connections in $SMTP_CONNECTIONS; do
        [ "$connections" = "${SMTP_CONNECTIONS%% *}" ] || begin_part "SMTP: $connections connections"
        source_rates=() tidings_rates=() source_cpu=() tidings_cpu=() source_sink=() tidings_sink=()
        run_source() {
            read -r rate cpu sink < <(timed /usr/sbin/smtp-source -d -s "$connections" -m "$SMTP_MESSAGES" -l "$SMTP_SIZE" \
                -f bench@example.com -t sink@example.com "127.0.0.1:$sink_port")
            source_rates+=("$rate") source_cpu+=("$cpu") source_sink+=("$sink")
        }
        run_tidings() {
            read -r rate cpu sink < <(timed "$bench" smtp --port "$sink_port" --connections "$connections" \
                --messages "$SMTP_MESSAGES" --size "$SMTP_SIZE")
            tidings_rates+=("$rate") tidings_cpu+=("$cpu") tidings_sink+=("$sink")
        }
        for round in $(seq 1 "$SMTP_ROUNDS"); do
            # Each goes first every other round, so neither always meets a warmer (or busier) machine.
            if [ $((round % 2)) -eq 1 ]; then run_source; run_tidings; else run_tidings; run_source; fi
            echo "    $connections connection(s), round $round: smtp-source ${source_rates[-1]}/s, tidings ${tidings_rates[-1]}/s" \
                 "($(awk -v t="${tidings_rates[-1]}" -v s="${source_rates[-1]}" 'BEGIN { printf "%.2f", t / s }')x)" >&2
        done
        [ "$connections" != 8 ] || smtp_source_rate8=$(median "${source_rates[@]}")
        target=0.9
        [ "$connections" != 1 ] || target=1.5
        record_rounds "smtp$connections" "$target" "SMTP msg/s, 2 KB, $connections connection(s) (peer: smtp-source -d -s $connections)"
        echo "    CPU per message (median): client smtp-source $(median "${source_cpu[@]}") us, tidings $(median "${tidings_cpu[@]}") us;" \
             "smtp-sink $(median "${source_sink[@]}") us serving smtp-source, $(median "${tidings_sink[@]}") us serving tidings" >&2
        # CPU is a cost: the ratio is the peer's ÷ Tidings', so ≥ 0.83× means at most 1.2 times smtp-source's.
        sc=$(median "${source_cpu[@]}") tc=$(median "${tidings_cpu[@]}")
        r=$(median $(ratios "${source_cpu[*]}" "${tidings_cpu[*]}"))
        met=$(awk -v r="$r" 'BEGIN { print (r >= 1 / 1.2) ? "yes" : "no" }')
        record "cpu$connections" "$tc us" "$sc us" "≥ 0.83× (≤ 1.2× the CPU)" "$met" "client CPU per message, $connections connection(s) (peer: smtp-source)" "$r"
    done
fi

# --- 1b. SMTP over distance ------------------------------------------------------------------
# A network namespace joined by a veth pair, with smtp-sink inside it behind a relay that holds
# every chunk WAN_DELAY_MS each way (no netem on this kernel): one connection, whole round trips.
if wants wan; then
    rtt=$((2 * WAN_DELAY_MS))
    begin_part "SMTP over a $rtt ms round trip: $WAN_MESSAGES messages of $SMTP_SIZE bytes, 1 connection, $WAN_ROUNDS rounds"
    wan_ns=tidings-bench-$$ veth=tbv$$
    ip netns add "$wan_ns"
    ip link add "${veth}a" type veth peer name "${veth}b"
    ip link set "${veth}b" netns "$wan_ns"
    ip addr add 10.231.77.1/30 dev "${veth}a"
    ip link set "${veth}a" up
    ip netns exec "$wan_ns" ip addr add 10.231.77.2/30 dev "${veth}b"
    ip netns exec "$wan_ns" ip link set "${veth}b" up
    ip netns exec "$wan_ns" ip link set lo up
    ip netns exec "$wan_ns" /usr/sbin/smtp-sink "${sink_user[@]}" -a 127.0.0.1:2526 1024 >/dev/null 2>&1 &
    wan_pids+=($!)
    ip netns exec "$wan_ns" python3 scripts/bench/delay_relay.py 10.231.77.2 2525 127.0.0.1 2526 "$WAN_DELAY_MS" >/dev/null &
    wan_pids+=($!)
    wait_for_port 2525 10.231.77.2
    wan_rate() {   # wan_rate COMMAND...: messages per second, connection setup included
        local start end
        start=$(now_ns)
        "$@" >/dev/null
        end=$(now_ns)
        awk -v n="$WAN_MESSAGES" -v ns=$((end - start)) 'BEGIN { printf "%.1f\n", n / (ns / 1e9) }'
    }
    source_rates=() tidings_rates=()
    for round in $(seq 1 "$WAN_ROUNDS"); do
        source_rates+=("$(wan_rate /usr/sbin/smtp-source -d -s 1 -m "$WAN_MESSAGES" -l "$SMTP_SIZE" \
            -f bench@example.com -t sink@example.com 10.231.77.2:2525)")
        tidings_rates+=("$(wan_rate "$bench" smtp --host 10.231.77.2 --port 2525 --tls none --connections 1 \
            --messages "$WAN_MESSAGES" --size "$SMTP_SIZE")")
        echo "    round $round: smtp-source ${source_rates[-1]}/s, tidings ${tidings_rates[-1]}/s" >&2
    done
    record_rounds wan 3 "SMTP msg/s, 2 KB, 1 connection, $rtt ms round trip (peer: smtp-source -d -s 1, same link)"
    # The same link through the binary a user runs: WAN_MESSAGES queued deal emails (To only,
    # a 2 KB body) drained by `run --once` with one worker — claim, compose, send in pipelined
    # runs, record — beside smtp-source sending as many messages of the same size.
    config "$run/wan.yaml" 1
    source_rates=() tidings_rates=()
    for round in $(seq 1 "$WAN_ROUNDS"); do
        wan_db=$(crm_database "wan$round")
        psql -X -q -v ON_ERROR_STOP=1 -d "$wan_db" -v emails="$WAN_MESSAGES" -v cc=0 -v body_bytes=2048 -f scripts/bench/drain.sql
        id=$(psql -X -A -t -d "$wan_db" -c "SELECT min(id) FROM tidings.outbox")
        size=$(TIDINGS_DATABASE_URL=$wan_db TIDINGS_CONFIG=$run/wan.yaml "$tidings" preview outbox --id "$id" --raw 2>/dev/null | wc -c)
        start=$(now_ns)
        TIDINGS_DATABASE_URL=$wan_db TIDINGS_CONFIG=$run/wan.yaml TIDINGS_SMTP_URL=smtp://10.231.77.2:2525 TIDINGS_SMTP_TLS=none \
            "$tidings" run --once > "$run/wan.out" 2> "$run/wan.log"
        end=$(now_ns)
        sent=$(psql -X -A -t -d "$wan_db" -c "SELECT count(*) FROM tidings.outbox WHERE status = 'sent'")
        [ "$sent" = "$WAN_MESSAGES" ] || { tail -5 "$run/wan.log" >&2; echo "bench: $sent deal emails sent over the link, expected $WAN_MESSAGES" >&2; exit 1; }
        tidings_rates+=("$(awk -v n="$WAN_MESSAGES" -v ns=$((end - start)) 'BEGIN { printf "%.1f", n / (ns / 1e9) }')")
        source_rates+=("$(wan_rate /usr/sbin/smtp-source -d -s 1 -m "$WAN_MESSAGES" -l "$size" \
            -f bench@example.com -t sink@example.com 10.231.77.2:2525)")
        echo "    round $round: run --once ${tidings_rates[-1]} emails/s, smtp-source ${source_rates[-1]} msgs/s ($size-byte messages)" >&2
    done
    record_rounds wan-drain 3 "deal emails/s drained by run --once over a $rtt ms round trip, 1 worker (peer: smtp-source -d -s 1, same link and size)"
    for pid in "${wan_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wan_pids=()
    ip netns del "$wan_ns"
    wan_ns=""
fi

# --- 1c. Draining queued deal emails ---------------------------------------------------------
# `tidings run --once` with one sending worker claims, composes, sends and records every row;
# the peer sends as many messages of the same size, to as many recipients each, over one
# connection: what the SMTP part of draining alone would cost.
if wants drain; then
    begin_part "drain: $DRAIN_EMAILS queued deal emails (To + $DRAIN_CC Cc), run --once, 1 worker, $DRAIN_ROUNDS rounds"
    config "$run/drain.yaml" 1
    source_rates=() tidings_rates=()
    for round in $(seq 1 "$DRAIN_ROUNDS"); do
        drain_db=$(crm_database "drain$round")
        psql -X -q -v ON_ERROR_STOP=1 -d "$drain_db" -v emails="$DRAIN_EMAILS" -v cc="$DRAIN_CC" -v body_bytes=2048 \
            -f scripts/bench/drain.sql
        id=$(psql -X -A -t -d "$drain_db" -c "SELECT min(id) FROM tidings.outbox")
        size=$(TIDINGS_DATABASE_URL=$drain_db TIDINGS_CONFIG=$run/drain.yaml "$tidings" preview outbox --id "$id" --raw 2>/dev/null | wc -c)
        start=$(now_ns)
        TIDINGS_DATABASE_URL=$drain_db TIDINGS_CONFIG=$run/drain.yaml "$tidings" run --once > "$run/drain.out" 2> "$run/drain.log"
        end=$(now_ns)
        sent=$(psql -X -A -t -d "$drain_db" -c "SELECT count(*) FROM tidings.outbox WHERE status = 'sent'")
        [ "$sent" = "$DRAIN_EMAILS" ] || { tail -5 "$run/drain.log" >&2; echo "bench: $sent deal emails sent, expected $DRAIN_EMAILS" >&2; exit 1; }
        tidings_rates+=("$(awk -v n="$DRAIN_EMAILS" -v ns=$((end - start)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')")
        start=$(now_ns)
        /usr/sbin/smtp-source -d -s 1 -m "$DRAIN_EMAILS" -l "$size" -r $((DRAIN_CC + 1)) \
            -f bench@example.com -t sink@example.com "127.0.0.1:$sink_port" >/dev/null
        end=$(now_ns)
        source_rates+=("$(awk -v n="$DRAIN_EMAILS" -v ns=$((end - start)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')")
        echo "    round $round: run --once ${tidings_rates[-1]} emails/s, smtp-source ${source_rates[-1]} msgs/s ($size-byte messages)" >&2
    done
    record_rounds drain 0.8 "deal emails/s drained by run --once, 1 worker, To + $DRAIN_CC Cc (peer: smtp-source -d -s 1, same size and recipients)"
fi

# --- 2. Fan-out ------------------------------------------------------------------------------
psql_fanout_rate=""
if wants fanout || wants e2e; then load_dataset; fi
if wants fanout; then
    rows_expected=$((CHANGES * COLLABORATORS))
    begin_part "fan-out: $CHANGES changes x $COLLABORATORS collaborators = $rows_expected rows, $FANOUT_ROUNDS rounds"
    tidings_rates=() psql_rates=()
    for round in $(seq 1 "$FANOUT_ROUNDS"); do
        sql -f scripts/bench/fanout-reset.sql
        line=$("$bench" fanout --database-url "$db")
        tidings_rates+=("$(field rows_per_sec <<<"$line")")
        [ "$(field rows <<<"$line")" = "$rows_expected" ] || { echo "bench: tidings fanned out $line, expected $rows_expected rows" >&2; exit 1; }
        sql -f scripts/bench/fanout-reset.sql
        ms=$(psql -X -v ON_ERROR_STOP=1 -d "$db" -f scripts/bench/fanout.sql | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
        rows=$(value "SELECT count(*) FROM tidings.notifications")
        [ "$rows" = "$rows_expected" ] || { echo "bench: psql inserted $rows rows, expected $rows_expected" >&2; exit 1; }
        psql_rates+=("$(awk -v r="$rows" -v ms="$ms" 'BEGIN { printf "%.0f", r / (ms / 1000) }')")
        echo "    round $round: tidings ${tidings_rates[-1]} rows/s, psql ${psql_rates[-1]} rows/s" >&2
    done
    t=$(median "${tidings_rates[@]}") psql_fanout_rate=$(median "${psql_rates[@]}")
    r=$(median $(ratios "${tidings_rates[*]}" "${psql_rates[*]}"))
    met=$(awk -v r="$r" 'BEGIN { print (r >= 0.9) ? "yes" : "no" }')
    record fanout "$t" "$psql_fanout_rate" "≥ 0.9×" "$met" "fan-out rows/s, $CHANGES changes × $COLLABORATORS (peer: psql INSERT … SELECT)" "$r"
fi

# --- 3. Composition --------------------------------------------------------------------------
if wants compose; then
    begin_part "composition: $COMPOSE_ITERATIONS messages (tidings) and $PYTHON_ITERATIONS (Python) per kind, $COMPOSE_ROUNDS rounds"
    python3 --version >&2
    declare -A compose_t compose_p
    for round in $(seq 1 "$COMPOSE_ROUNDS"); do
        out=$("$bench" compose --templates "$root/templates" --iterations "$COMPOSE_ITERATIONS" --write-samples "$run/samples")
        py=$(python3 scripts/bench/compose_python.py "$PYTHON_ITERATIONS" "$run/samples/digest.eml" "$run/samples/deal-email.eml")
        for kind in digest deal-email; do
            compose_t[$kind]+="$(grep "message=$kind " <<<"$out" | field msgs_per_sec) "
            compose_p[$kind]+="$(grep "message=$kind " <<<"$py" | field msgs_per_sec) "
        done
        echo "    round $round: tidings" $(grep -E "message=(digest|deal-email|digest-render-only) " <<<"$out" | sed 's/message=//; s/ bytes.*us_per_msg=/ /; s/ msgs_per_sec=.*/ us/') \
             "| python" $(sed 's/message=//; s/ bytes.*us_per_msg=/ /; s/ msgs_per_sec=.*/ us/' <<<"$py") >&2
    done
    for kind in digest deal-email; do
        # shellcheck disable=SC2086
        t=$(median ${compose_t[$kind]}) p=$(median ${compose_p[$kind]})
        r=$(median $(ratios "${compose_t[$kind]}" "${compose_p[$kind]}"))
        met=$(awk -v r="$r" 'BEGIN { print (r >= 10) ? "yes" : "no" }')
        record "compose-$kind" "$t" "$p" "≥ 10×" "$met" "$kind render + compose msg/s, one thread, CPU time (peer: Python email)" "$r"
    done
fi

# --- 4. Outbox latency -----------------------------------------------------------------------
if wants latency; then
    load_dataset
    begin_part "outbox latency: the daemon ($LATENCY_WORKERS workers) and $LATENCY_RATE inserts/s for $LATENCY_SECONDS s"
    # Only what the benchmark inserts is news: the fan-out cursor starts after the loaded changes.
    sql -c "TRUNCATE tidings.notifications, tidings.outbox, tidings.outbox_attachments" \
        -c "UPDATE tidings.cursors SET (last_txid, last_id) = (SELECT coalesce(max(txid), '0'), coalesce(max(id), 0) FROM tidings.changes)"
    config "$run/latency.yaml" "$LATENCY_WORKERS"
    TIDINGS_CONFIG=$run/latency.yaml "$tidings" run > "$run/daemon.log" 2>&1 &
    daemon_pid=$!
    for _ in $(seq 1 100); do grep -q " ready" "$run/daemon.log" && break; sleep 0.1; done
    grep -q " ready" "$run/daemon.log" || { cat "$run/daemon.log" >&2; echo "bench: the daemon did not start" >&2; exit 1; }
    line=$("$bench" outbox-latency --database-url "$db" --rate "$LATENCY_RATE" --seconds "$LATENCY_SECONDS" \
        --deals "$DEALS" --users "$USERS")
    echo "    $line" >&2
    daemon_hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$daemon_pid/status")
    kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=""
    [ "$(field not_sent <<<"$line")" = 0 ] || { echo "bench: some emails were not sent: $line" >&2; exit 1; }
    for p in p50 p95 p99; do
        v=$(field "${p}_ms" <<<"$line")
        if [ $p = p99 ]; then
            record "latency-$p" "$v ms" "—" "≤ 20 ms" "$(awk -v v="$v" 'BEGIN { print (v <= 20) ? "yes" : "no" }')" "outbox latency $p, $LATENCY_RATE/s offered (COMMIT → sink's 250)"
        else
            record "latency-$p" "$v ms" "—" "—" "—" "outbox latency $p, $LATENCY_RATE/s offered (COMMIT → sink's 250)"
        fi
    done
    echo "    daemon peak RSS during the latency run: $((daemon_hwm / 1024)) MB" >&2
fi

# --- 5. End to end, and the daemon's peak memory ---------------------------------------------
if wants e2e; then
    begin_part "end to end: $CHANGES changes on $DEALS deals x $COLLABORATORS collaborators, $USERS users on daily digests"
    sql -c "TRUNCATE tidings.changes, tidings.notifications, tidings.digests, tidings.digest_state, tidings.outbox, tidings.outbox_attachments" \
        -c "UPDATE tidings.cursors SET last_txid = '0', last_id = 0" -c "VACUUM ANALYZE"
    config "$run/e2e.yaml" "$E2E_WORKERS"
    due=$(date -u -d "2 days 12:00" +%Y-%m-%dT%H:%M:%SZ)
    start=$(now_ns)
    sql -v users="$USERS" -v deals="$DEALS" -v collaborators="$COLLABORATORS" -v changes="$CHANGES" -f scripts/bench/changes.sql
    inserted=$(now_ns)
    # Fan-out on the real clock (daily digests are not due yet), then the next delivery time.
    TIDINGS_CONFIG=$run/e2e.yaml /usr/bin/time -f "%M" -o "$run/rss1" "$tidings" run --once > "$run/once1.out" 2> "$run/once1.log"
    fanned=$(now_ns)
    TIDINGS_CONFIG=$run/e2e.yaml /usr/bin/time -f "%M" -o "$run/rss2" "$tidings" run --once --now "$due" > "$run/once2.out" 2> "$run/once2.log"
    end=$(now_ns)
    sent=$(value "SELECT count(*) FROM tidings.digests WHERE status = 'sent'")
    [ "$sent" = "$USERS" ] || { cat "$run/once2.out" >&2; echo "bench: $sent digests sent, expected $USERS" >&2; exit 1; }
    seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    echo "    insert $(awk -v ns=$((inserted - start)) 'BEGIN { printf "%.1f", ns / 1e9 }') s," \
         "run --once (fan-out) $(awk -v ns=$((fanned - inserted)) 'BEGIN { printf "%.1f", ns / 1e9 }') s," \
         "run --once --now (assembly, $sent digests) $(awk -v ns=$((end - fanned)) 'BEGIN { printf "%.1f", ns / 1e9 }') s" >&2
    # The ratio (peer ÷ tidings) needs both limits: run it with the smtp and fanout parts.
    if [ -n "$psql_fanout_rate" ] && [ -n "$smtp_source_rate8" ]; then
        peer=$(awk -v r=$((CHANGES * COLLABORATORS)) -v f="$psql_fanout_rate" -v u="$USERS" -v s="$smtp_source_rate8" \
            'BEGIN { printf "%.1f", r / f + u / s }')
        met=$(awk -v p="$peer" -v t="$seconds" 'BEGIN { print (p / t >= 0.5) ? "yes" : "no" }')
        record e2e "$seconds s" "$peer s" "≥ 0.5×" "$met" "end to end, insert → last digest accepted (peer: fan-out at psql's rate + digests at smtp-source's, 8 connections)"
    else
        record e2e "$seconds s" "—" "—" "—" "end to end, insert → last digest accepted (no peer: run with --only smtp,fanout,e2e)"
    fi
    rss=$(sort -n "$run/rss1" "$run/rss2" | tail -1)
    record rss "$((rss / 1024)) MB" "—" "≤ 64 MB" "$(awk -v r="$rss" 'BEGIN { print (r <= 64 * 1024) ? "yes" : "no" }')" \
        "daemon peak RSS in the end-to-end run ($E2E_WORKERS sending workers)"
fi

# --- 6. One huge comment: memory follows what digests show, not what the CRM stored ----------
if wants hugecomment; then
    begin_part "one comment of $HUGE_COMMENT_BYTES bytes on a deal with $HUGE_COMMENT_COLLABORATORS immediate collaborators"
    huge_db=$(crm_database hugecomment)
    psql -X -q -v ON_ERROR_STOP=1 -d "$huge_db" -v collaborators="$HUGE_COMMENT_COLLABORATORS" \
        -v comment_bytes="$HUGE_COMMENT_BYTES" -f scripts/bench/huge-comment.sql
    config "$run/huge.yaml" 4
    start=$(now_ns)
    TIDINGS_DATABASE_URL=$huge_db TIDINGS_CONFIG=$run/huge.yaml /usr/bin/time -f "%M" -o "$run/rss-huge" \
        "$tidings" run --once > "$run/huge.out" 2> "$run/huge.log"
    end=$(now_ns)
    sent=$(psql -X -A -t -d "$huge_db" -c "SELECT count(*) FROM tidings.digests WHERE status = 'sent'")
    [ "$sent" = "$HUGE_COMMENT_COLLABORATORS" ] || { cat "$run/huge.out" >&2; echo "bench: $sent digests sent, expected $HUGE_COMMENT_COLLABORATORS" >&2; exit 1; }
    rss=$(cat "$run/rss-huge") seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    echo "    run --once: $sent digests in $seconds s, peak RSS $((rss / 1024)) MB" >&2
    record huge-rss "$((rss / 1024)) MB" "—" "< 128 MB" "$(awk -v r="$rss" 'BEGIN { print (r < 128 * 1024) ? "yes" : "no" }')" \
        "daemon peak RSS, run --once: a $((HUGE_COMMENT_BYTES / 1000000)) MB comment, $HUGE_COMMENT_COLLABORATORS immediate collaborators"
    record huge-time "$seconds s" "—" "—" "—" "run --once duration, the same case"
fi

# --- The table ---------------------------------------------------------------------------------
if wants attachment; then
    begin_part "one deal email with a $ATTACHMENT_BYTES-byte attachment: the daemon's peak RSS above its idle size"
    attachment_db=$(crm_database attachment)
    config "$run/attachment.yaml" 1
    # Room for the file: the default mail.max_message_bytes is 10 MiB.
    printf 'mail:\n  max_message_bytes: %s\n' $((ATTACHMENT_BYTES * 2)) >> "$run/attachment.yaml"
    # Idle: the same run --once with nothing to send (start, migrations check, an empty claim).
    TIDINGS_DATABASE_URL=$attachment_db TIDINGS_CONFIG=$run/attachment.yaml /usr/bin/time -f "%M" -o "$run/rss-idle" \
        "$tidings" run --once > "$run/idle.out" 2> "$run/idle.log"
    psql -X -q -v ON_ERROR_STOP=1 -d "$attachment_db" -v attachment_bytes="$ATTACHMENT_BYTES" -f scripts/bench/attachment.sql
    id=$(psql -X -A -t -d "$attachment_db" -c "SELECT id FROM tidings.outbox")
    encoded=$(TIDINGS_DATABASE_URL=$attachment_db TIDINGS_CONFIG=$run/attachment.yaml "$tidings" preview outbox --id "$id" --raw 2>/dev/null | wc -c)
    start=$(now_ns)
    TIDINGS_DATABASE_URL=$attachment_db TIDINGS_CONFIG=$run/attachment.yaml /usr/bin/time -f "%M" -o "$run/rss-attachment" \
        "$tidings" run --once > "$run/attachment.out" 2> "$run/attachment.log"
    end=$(now_ns)
    status=$(psql -X -A -t -d "$attachment_db" -c "SELECT status FROM tidings.outbox")
    [ "$status" = sent ] || { cat "$run/attachment.out" "$run/attachment.log" >&2; echo "bench: the email is $status, not sent" >&2; exit 1; }
    idle=$(cat "$run/rss-idle") peak=$(cat "$run/rss-attachment")
    ratio=$(awk -v p="$peak" -v i="$idle" -v e="$encoded" 'BEGIN { printf "%.2f", (p - i) * 1024 / e }')
    echo "    message $encoded bytes encoded; peak RSS idle $((idle / 1024)) MB, sending it $((peak / 1024)) MB" \
         "($(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }') s): $ratio x the message above idle" >&2
    record attachment-rss "$(((peak - idle) / 1024)) MB" "—" "< 3× message" "$(awk -v r="$ratio" 'BEGIN { print (r < 3) ? "yes" : "no" }')" \
        "peak RSS above idle, run --once: one deal email with a $((ATTACHMENT_BYTES / 1000000)) MB attachment ($((encoded / 1000000)) MB encoded)" "$ratio"
fi

mkdir -p "$(dirname "$BENCH_RESULTS")"
python3 scripts/bench/table.py "$results" "$BENCH_RESULTS" "$(printf 'SMTP %s msgs x %s rounds; %s changes, %s deals x %s, %s users; latency %s/s for %s s; compose %s/%s x %s rounds' \
    "$SMTP_MESSAGES" "$SMTP_ROUNDS" "$CHANGES" "$DEALS" "$COLLABORATORS" "$USERS" "$LATENCY_RATE" "$LATENCY_SECONDS" \
    "$COMPOSE_ITERATIONS" "$PYTHON_ITERATIONS" "$COMPOSE_ROUNDS")"
