#!/usr/bin/env bash
# A throwaway PostgreSQL cluster of its own, for a test that stops or restarts its server:
# doing that to the shared test cluster would break every test running beside it.
#   private-postgres.sh init DIR     initdb + start on a free port; prints a libpq URI
#   private-postgres.sh template DIR an initdb'd, stopped cluster for init to copy (see below)
#   private-postgres.sh restart DIR  pg_ctl restart (-m fast, as an administrator would)
#   private-postgres.sh stop DIR     stop the server, keep the data
#   private-postgres.sh start DIR    start it again on the same port
#   private-postgres.sh destroy DIR  stop it and delete DIR
# DIR must not exist yet for init; services.sh stop also stops clusters left in RUN_DIR/private-*.
# With TIDINGS_TEST_PG_TEMPLATE (services.sh makes one per test run), init copies that stopped
# cluster instead of running initdb: initdb costs about a second of CPU, and tests starting
# twenty private clusters at once on two cores starved every PostgreSQL backend for seconds
# (connections to the shared cluster timed out in CI).
set -euo pipefail
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
action=$1 dir=$2

source "$(dirname "$0")/lib.sh"
close_inherited_fds

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_ctl() {
    as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" "$@" >/dev/null
}

fresh_password() { echo "pg-Priv4te-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"; }

# initdb into DIR/data with PASSWORD for the postgres role (password authentication over TCP).
initialize() {
    local target=$1 secret=$2
    printf '%s\n' "$secret" > "$target/pwfile"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$target/pwfile"
    as_postgres "$pg_bin/initdb" -N -D "$target/data" -U postgres --pwfile="$target/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$target/initdb.log" 2>&1
    rm -f "$target/pwfile"
}

case "$action" in
template)
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
    password=$(fresh_password)
    initialize "$dir" "$password"
    printf '%s\n' "$password" > "$dir/password"
    ;;
init)
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    template=${TIDINGS_TEST_PG_TEMPLATE:-}
    if [ -n "$template" ] && [ -f "$template/password" ]; then
        as_postgres cp -a "$template/data" "$dir/data"
        password=$(cat "$template/password")
    else
        password=$(fresh_password)
        initialize "$dir" "$password"
    fi
    cat >> "$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 20
shared_buffers = 16MB
log_min_messages = warning
CONF
    pg_ctl -w start
    echo "postgresql://postgres:$password@127.0.0.1:$port/postgres"
    ;;
restart) pg_ctl -m fast -w restart ;;
stop) pg_ctl -m fast -w stop ;;
start) pg_ctl -w start ;;
destroy)
    if [ -d "$dir/data" ]; then pg_ctl -m immediate -w stop 2>/dev/null || true; fi
    rm -rf "$dir"
    ;;
*) echo "usage: $0 init|template|restart|stop|start|destroy DIR" >&2; exit 2 ;;
esac
