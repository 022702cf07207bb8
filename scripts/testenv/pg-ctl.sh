#!/usr/bin/env bash
# pg_ctl for the test cluster, as the postgres user when run as root: `pg-ctl.sh restart DATA`.
set -euo pipefail
action=$1 data=$2
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ "$(id -u)" -eq 0 ]; then
    exec runuser -u postgres -- "$pg_bin/pg_ctl" -D "$data" -l "$data/../server.log" -m fast -w "$action"
else
    exec "$pg_bin/pg_ctl" -D "$data" -l "$data/../server.log" -m fast -w "$action"
fi
