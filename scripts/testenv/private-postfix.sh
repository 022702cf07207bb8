#!/usr/bin/env bash
# A private Postfix (Debian's) for the inbound tests: `postfix -c DIR/etc` with its own main.cf,
# master.cf, queue and data directories and log file, its real smtpd on a free loopback port.
# Every domain is a virtual mailbox domain delivered over LMTP into the private Dovecot
# (private-dovecot.sh), except `bounce.test`, routed to `error:5.1.1 user unknown`: mail there
# makes Postfix write a real delivery report (RFC 3464) to the envelope sender, which lands in
# Dovecot too. A second smtpd on its own port announces a small SIZE (message_size_limit
# 200000) for the size tests; a third does not announce PIPELINING, for the lockstep
# dialogue. Postfix offers DSN and SMTPUTF8 on all three. Nothing is relayed anywhere else; everything listens on loopback only.
#   private-postfix.sh init DIR LMTP_PORT   write the config, start; prints the env lines to export
#   private-postfix.sh stop DIR             postfix -c DIR/etc stop (waits for its master to exit)
#   private-postfix.sh start DIR            start again (after stop)
# Needs root (Postfix's master runs as root and drops to mail_owner `postfix`).
set -euo pipefail
action=$1 dir=$2
bounce_domain=bounce.test
small_size_limit=200000

source "$(dirname "$0")/lib.sh"
close_inherited_fds

start_postfix() {
    start_server "$dir/postfix-start.log" /usr/sbin/postfix -c "$dir/etc" start
    wait_for_port "$(cat "$dir/port")" Postfix "$dir/maillog"
}

stop_postfix() {
    local pidfile="$dir/queue/pid/master.pid"
    [ -e "$pidfile" ] || return 0
    local pid
    pid=$(tr -d ' \n' < "$pidfile")
    /usr/sbin/postfix -c "$dir/etc" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    wait_for_exit "$pid" "Postfix's master"
}

init() {
    local lmtp_port=$1
    [ -x /usr/sbin/postfix ] || { echo "error: Postfix is not installed (apt-get install postfix)" >&2; return 1; }
    [ "$(id -u)" -eq 0 ] || { echo "error: a private Postfix needs root" >&2; return 1; }
    id postfix >/dev/null 2>&1 && getent group postdrop >/dev/null || {
        echo "error: the postfix user or the postdrop group is missing (reinstall postfix)" >&2; return 1; }
    mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
    chown postfix "$dir/data"
    local port
    port=$(free_port)
    echo "$port" > "$dir/port"
    # A second smtpd announcing a small SIZE (message_size_limit), for the size tests.
    local small_port
    small_port=$(free_port)
    # A third that does not announce PIPELINING, for the lockstep dialogue.
    local lockstep_port
    lockstep_port=$(free_port)
    printf '%s error:5.1.1 user unknown\n' "$bounce_domain" > "$dir/etc/transport"
    cat > "$dir/etc/main.cf" <<CONF
# Written by scripts/testenv/private-postfix.sh: a private Postfix for Tidings' inbound tests.
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = $dir
maillog_file = $dir/maillog
myhostname = postfix.tidings.test
mydomain = tidings.test
myorigin = \$myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
mydestination =
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:5.1.1 no local delivery on this test server
# Every domain is delivered into the private Dovecot over LMTP, except the bounce domain.
virtual_mailbox_domains = static:all
virtual_transport = lmtp:inet:127.0.0.1:$lmtp_port
transport_maps = texthash:$dir/etc/transport
smtpd_reject_unlisted_recipient = no
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_banner = \$myhostname ESMTP Postfix (Tidings test)
lmtp_host_lookup = native
smtp_host_lookup = native
biff = no
append_dot_mydomain = no
delay_warning_time = 0
# Deferred mail (Dovecot down) is retried within seconds, not minutes.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
CONF
    # chroot off everywhere (n): the queue is in a temporary folder with no chroot tree.
    cat > "$dir/etc/master.cf" <<CONF
127.0.0.1:$port inet n - n - - smtpd
127.0.0.1:$small_port inet n - n - - smtpd -o message_size_limit=$small_size_limit
127.0.0.1:$lockstep_port inet n - n - - smtpd -o smtpd_discard_ehlo_keywords=pipelining
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
smtp       unix  - - n - - smtp
relay      unix  - - n - - smtp
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
lmtp       unix  - - n - - lmtp
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
CONF
    start_postfix
    cat <<ENV
export TIDINGS_TEST_POSTFIX_DIR='$dir'
export TIDINGS_TEST_POSTFIX_CONFIG_DIR='$dir/etc'
export TIDINGS_TEST_POSTFIX_CTL='$(cd "$(dirname "$0")" && pwd)/private-postfix.sh'
export TIDINGS_TEST_POSTFIX_SMTP_PORT='$port'
export TIDINGS_TEST_POSTFIX_SMALL_SMTP_PORT='$small_port'
export TIDINGS_TEST_POSTFIX_SMALL_SIZE_LIMIT='$small_size_limit'
export TIDINGS_TEST_POSTFIX_LOCKSTEP_SMTP_PORT='$lockstep_port'
export TIDINGS_TEST_POSTFIX_MAILLOG='$dir/maillog'
export TIDINGS_TEST_POSTFIX_BOUNCE_DOMAIN='$bounce_domain'
ENV
}

case "$action" in
init) init "$3" ;;
start) start_postfix ;;
stop) stop_postfix ;;
*) echo "usage: $0 init DIR LMTP_PORT | start|stop DIR" >&2; exit 2 ;;
esac
