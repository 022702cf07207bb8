#!/usr/bin/env bash
# Starts and stops the real services Tidings' tests talk to, all on loopback and free ports:
#   - a private PostgreSQL 15 cluster (password authentication over TCP, fsync off), and a
#     stopped one that tests needing a cluster of their own copy (private-postgres.sh),
#   - aiosmtpd with STARTTLS and AUTH under a test CA (the "tls" server), and with implicit TLS
#     (smtps) and AUTH (the "smtps" server),
#   - aiosmtpd without TLS (the "plain" server), one that drops idle connections after 1 s, and
#     one that takes at most 3 recipients per transaction (the "limited" server, 452 4.5.3 after),
#     and one that offers PIPELINING and records whether a client pipelines across messages,
#   - Postfix's smtp-sink, plainly and in rejecting variants,
#   - for the inbound tests, a private Dovecot (IMAP with STARTTLS, IMAPS, LMTP; passwd-file
#     users, Maildir; private-dovecot.sh) and a private Postfix delivering into it over LMTP,
#     with the domain bounce.test routed to error:5.1.1 so it writes real bounces
#     (private-postfix.sh).
# Under CI=true a service that cannot start fails the whole start; elsewhere a missing Dovecot
# or Postfix is reported and its variables are left out (the tests needing them then fail).
# Usage: services.sh start RUN_DIR   (writes RUN_DIR/env, to be sourced)
#        services.sh stop RUN_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

make_certificates() {
    local dir=$1
    mkdir -p "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Tidings Test CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
        -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' > "$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
        -days 3650 -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
    # A CA that signed nothing the servers use: verifying against it must fail.
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Untrusted Test CA" \
        -keyout "$dir/untrusted-ca.key" -out "$dir/untrusted-ca.pem" 2>/dev/null
}

start_postgres() {
    local run=$1 port=$2 password=$3
    local data="$run/pgdata"
    mkdir -p "$run/pg"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$run/pg"; fi
    data="$run/pg/data"
    printf '%s\n' "$password" > "$run/pg/pwfile"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$run/pg/pwfile"
    as_postgres "$pg_bin/initdb" -D "$data" -U postgres --pwfile="$run/pg/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$run/pg/initdb.log" 2>&1
    rm -f "$run/pg/pwfile"
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$run/pg'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 256MB
log_min_messages = warning
CONF
    as_postgres "$pg_bin/pg_ctl" -D "$data" -l "$run/pg/server.log" -w start >/dev/null
}

start() {
    local run=$1
    mkdir -p "$run"
    chmod 755 "$run"
    local pg_port tls_port smtps_port plain_port idle_port limited_port pipelining_port sink_port sink_rcpt_port sink_4xx_port sink_5xx_port sink_drop_port
    pg_port=$(free_port); tls_port=$(free_port); smtps_port=$(free_port); plain_port=$(free_port); idle_port=$(free_port)
    limited_port=$(free_port); pipelining_port=$(free_port)
    sink_port=$(free_port); sink_rcpt_port=$(free_port); sink_4xx_port=$(free_port)
    sink_5xx_port=$(free_port); sink_drop_port=$(free_port)
    local pg_password="pg-Secr3t-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    local smtp_password="smtp-Secr3t-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

    start_postgres "$run" "$pg_port" "$pg_password"
    # The cluster tests that restart PostgreSQL copy for themselves (private-postgres.sh).
    "$here/private-postgres.sh" template "$run/pg-template"

    make_certificates "$run/certs"
    mkdir -p "$run/spool" "$run/logs"
    (exec python3 "$here/smtp_server.py" --name tls --port "$tls_port" --spool "$run/spool" \
        --cert "$run/certs/server.pem" --key "$run/certs/server.key" --auth "tidings:$smtp_password" \
        >"$run/logs/smtp-tls.log" 2>&1) &
    echo $! > "$run/smtp-tls.pid"
    (exec python3 "$here/smtp_server.py" --name smtps --port "$smtps_port" --spool "$run/spool" --implicit-tls \
        --cert "$run/certs/server.pem" --key "$run/certs/server.key" --auth "tidings:$smtp_password" \
        >"$run/logs/smtp-smtps.log" 2>&1) &
    echo $! > "$run/smtp-smtps.pid"
    (exec python3 "$here/smtp_server.py" --name plain --port "$plain_port" --spool "$run/spool" \
        >"$run/logs/smtp-plain.log" 2>&1) &
    echo $! > "$run/smtp-plain.pid"
    (exec python3 "$here/smtp_server.py" --name idle --port "$idle_port" --spool "$run/spool" --idle-timeout 1 \
        >"$run/logs/smtp-idle.log" 2>&1) &
    echo $! > "$run/smtp-idle.pid"
    (exec python3 "$here/smtp_server.py" --name limited --port "$limited_port" --spool "$run/spool" --max-recipients 3 \
        >"$run/logs/smtp-limited.log" 2>&1) &
    echo $! > "$run/smtp-limited.pid"
    (exec python3 "$here/smtp_server.py" --name pipelining --port "$pipelining_port" --spool "$run/spool" --pipelining \
        >"$run/logs/smtp-pipelining.log" 2>&1) &
    echo $! > "$run/smtp-pipelining.pid"

    local sink_user=()
    [ "$(id -u)" -ne 0 ] || sink_user=(-u nobody)
    start_sink() {
        local name=$1 port=$2; shift 2
        (exec /usr/sbin/smtp-sink "${sink_user[@]}" -a "$@" "127.0.0.1:$port" 256 >"$run/logs/sink-$name.log" 2>&1) &
        echo $! > "$run/sink-$name.pid"
    }
    start_sink ok "$sink_port"
    start_sink rcpt5xx "$sink_rcpt_port" -f rcpt
    start_sink data4xx "$sink_4xx_port" -r .
    start_sink data5xx "$sink_5xx_port" -f .
    start_sink drop "$sink_drop_port" -q .

    for port in "$tls_port" "$smtps_port" "$plain_port" "$idle_port" "$limited_port" "$pipelining_port" "$sink_port" "$sink_rcpt_port" "$sink_4xx_port" "$sink_5xx_port" "$sink_drop_port"; do
        wait_for_port "$port" "SMTP test server"
    done

    start_mail_servers "$run" > "$run/env.mail"

    cat > "$run/env" <<ENV
export TIDINGS_TEST_RUN_DIR='$run'
export TIDINGS_TEST_DATABASE_URL='postgresql://postgres:$pg_password@127.0.0.1:$pg_port/postgres'
export TIDINGS_TEST_PG_PASSWORD='$pg_password'
export TIDINGS_TEST_PGDATA='$run/pg/data'
export TIDINGS_TEST_PG_TEMPLATE='$run/pg-template'
# Read by libpq in the tests and in every tidings they start: on two cores, with the tests
# starting daemons, psql and Python beside each other, a backend can wait seconds for the CPU,
# and a connection that is slow to be served is not what any test is about.
export PGCONNECT_TIMEOUT=60
export TIDINGS_TEST_PG_CTL='$here/pg-ctl.sh'
export TIDINGS_TEST_SPOOL='$run/spool'
export TIDINGS_TEST_SMTP_TLS_PORT='$tls_port'
export TIDINGS_TEST_SMTPS_PORT='$smtps_port'
export TIDINGS_TEST_SMTP_USER='tidings'
export TIDINGS_TEST_SMTP_PASSWORD='$smtp_password'
export TIDINGS_TEST_SMTP_CA_FILE='$run/certs/ca.pem'
export TIDINGS_TEST_SMTP_UNTRUSTED_CA_FILE='$run/certs/untrusted-ca.pem'
export TIDINGS_TEST_SMTP_PLAIN_PORT='$plain_port'
export TIDINGS_TEST_SMTP_IDLE_PORT='$idle_port'
export TIDINGS_TEST_SMTP_LIMITED_PORT='$limited_port'
export TIDINGS_TEST_SMTP_PIPELINING_PORT='$pipelining_port'
export TIDINGS_TEST_SINK_PORT='$sink_port'
export TIDINGS_TEST_SINK_RCPT5XX_PORT='$sink_rcpt_port'
export TIDINGS_TEST_SINK_DATA4XX_PORT='$sink_4xx_port'
export TIDINGS_TEST_SINK_DATA5XX_PORT='$sink_5xx_port'
export TIDINGS_TEST_SINK_DROP_PORT='$sink_drop_port'
export TIDINGS_TEST_MIME_CHECK='$here/mime_check.py'
ENV
    cat "$run/env.mail" >> "$run/env"
    rm -f "$run/env.mail"
}

# The private Dovecot and Postfix for the inbound tests; prints their env lines.
start_mail_servers() {
    local run=$1 dovecot_env
    if ! dovecot_env=$("$here/private-dovecot.sh" init "$run/dovecot" "$run/certs"); then
        missing_service "Dovecot"
        return 0
    fi
    echo "$dovecot_env"
    local lmtp_port
    lmtp_port=$(sed -n "s/^export TIDINGS_TEST_LMTP_PORT='\(.*\)'$/\1/p" <<<"$dovecot_env")
    if ! "$here/private-postfix.sh" init "$run/postfix" "$lmtp_port"; then
        missing_service "Postfix"
    fi
}

missing_service() {
    if [ "${CI:-}" = true ]; then
        echo "error: the private $1 for the inbound tests did not start (CI=true: a missing service fails)" >&2
        exit 1
    fi
    echo "warning: the private $1 for the inbound tests did not start; its tests will fail" >&2
}

stop() {
    local run=$1
    [ ! -d "$run/postfix" ] || "$here/private-postfix.sh" stop "$run/postfix" || true
    [ ! -d "$run/dovecot" ] || "$here/private-dovecot.sh" stop "$run/dovecot" || true
    # Dovecots a test started for itself (to restart it) and did not get to stop.
    for extra in "$run"/dovecot-test-*; do
        [ -d "$extra" ] || continue
        "$here/private-dovecot.sh" stop "$extra" || true
    done
    for pidfile in "$run"/*.pid; do
        [ -e "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
    if [ -d "$run/pg/data" ]; then
        as_postgres "$pg_bin/pg_ctl" -D "$run/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    # Clusters a test started for itself (private-postgres.sh) and did not get to destroy.
    for private in "$run"/private-*; do
        [ -d "$private" ] || continue
        "$here/private-postgres.sh" destroy "$private" || true
    done
}

case "${1:-}" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) echo "usage: $0 start|stop RUN_DIR" >&2; exit 2 ;;
esac
