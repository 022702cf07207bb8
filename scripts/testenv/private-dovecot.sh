#!/usr/bin/env bash
# A private Dovecot (Debian's dovecot-imapd and dovecot-lmtpd) for the inbound tests: its own
# base_dir, state and log under DIR, passwd-file users with Maildirs under DIR, and loopback
# listeners only: IMAP (STARTTLS offered), IMAPS and LMTP, on free ports. TLS uses the test CA's
# server certificate, as the SMTP test servers do.
#   private-dovecot.sh init DIR CERT_DIR   write the config, start; prints the env lines to export
#   private-dovecot.sh add-user DIR NAME   a fresh mailbox NAME (same password as every user)
#   private-dovecot.sh start DIR           start again on the same ports (after stop)
#   private-dovecot.sh stop DIR            stop the master by its pid (and wait for it)
#   private-dovecot.sh restart DIR         stop then start (a server restart mid-poll)
#   private-dovecot.sh kick DIR NAME       drop NAME's IMAP connections (doveadm kick): Dovecot's
#                                          restart lets running imap processes serve on, so a test
#                                          kicks, then restarts, to make a kept connection die
# Users log in as NAME (any domain): mail to NAME+tag@any.domain delivered over LMTP lands in
# NAME's INBOX (auth_username_chars is empty so '+' passes; recipient_delimiter strips the tag).
# Dovecot counts 127.0.0.1 as secure and allows plaintext LOGIN there, so imap:// works
# without STARTTLS on loopback, and STARTTLS is offered for clients that require it.
set -euo pipefail
action=$1 dir=$2

source "$(dirname "$0")/lib.sh"
close_inherited_fds

# The mail processes' user: nobody when run as root (Dovecot refuses root for mail), else us.
mail_user() { if [ "$(id -u)" -eq 0 ]; then echo nobody; else id -un; fi; }

add_user() {   # add_user NAME [--before-start]
    local name=$1
    [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "error: user name '$name' has characters other than A-Z a-z 0-9 . _ -" >&2; return 1; }
    # One short append per user: parallel tests adding users never interleave lines.
    printf '%s:{PLAIN}%s::::::\n' "$name" "$(cat "$dir/password")" >> "$dir/users"
    [ "${2:-}" != --before-start ] || return 0
    # Dovecot looks at the passwd-file at most once a second: mail delivered over LMTP in the
    # same second would find no such user. Return once the auth server knows it.
    for _ in $(seq 1 50); do
        /usr/bin/doveadm -c "$dir/dovecot.conf" user "$name" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "error: Dovecot does not know the new user $name after 5 s" >&2
    return 1
}

start_master() {
    # No inherited stdout or stderr: a caller reading them to their end would wait for as long
    # as the daemon lives. Start-up errors are in the log file.
    start_server "$dir/dovecot-start.log" /usr/sbin/dovecot -c "$dir/dovecot.conf"
    for port in $(cat "$dir/ports"); do wait_for_port "$port" Dovecot "$dir/dovecot.log"; done
}

stop_master() {
    local pidfile="$dir/run/master.pid"
    [ -e "$pidfile" ] || return 0
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || return 0
    wait_for_exit "$pid" Dovecot
}

init() {
    local certs=$1
    [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] && [ -x /usr/lib/dovecot/lmtp ] || {
        echo "error: Dovecot is not installed (apt-get install dovecot-imapd dovecot-lmtpd)" >&2; return 1; }
    mkdir -p "$dir/run" "$dir/state" "$dir/mail"
    local user uid gid imap_port imaps_port lmtp_port internal login
    user=$(mail_user); uid=$(id -u "$user"); gid=$(id -g "$user")
    if [ "$(id -u)" -eq 0 ]; then internal=dovecot login=dovenull; else internal=$user login=$user; fi
    chown "$uid:$gid" "$dir/mail"
    imap_port=$(free_port); imaps_port=$(free_port); lmtp_port=$(free_port)
    echo "$imap_port $imaps_port $lmtp_port" > "$dir/ports"
    printf 'imap-Secr3t-%s\n' "$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" > "$dir/password"
    chmod 600 "$dir/password"
    : > "$dir/users"
    chmod 644 "$dir/users"
    add_user tidings --before-start
    cat > "$dir/dovecot.conf" <<CONF
# Written by scripts/testenv/private-dovecot.sh: a private Dovecot for Tidings' inbound tests.
instance_name = tidings-test-$(basename "$(dirname "$dir")")
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
default_internal_user = $internal
default_login_user = $login
first_valid_uid = $uid
last_valid_uid = $uid
mail_location = maildir:~/Maildir
mail_fsync = never
ssl = yes
ssl_cert = <$certs/server.pem
ssl_key = <$certs/server.key
ssl_dh = </usr/share/dovecot/dh.pem
# Empty: any character in a user name, so LMTP takes name+tag@domain (the tag is stripped).
auth_username_chars =
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $dir/users
}
userdb {
  driver = passwd-file
  args = username_format=%n $dir/users
  override_fields = uid=$uid gid=$gid home=$dir/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Archive {
    auto = create
    special_use = \\Archive
  }
  mailbox Trash {
    auto = create
    special_use = \\Trash
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps_port
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp_port
  }
}
CONF
    start_master
    cat <<ENV
export TIDINGS_TEST_DOVECOT_DIR='$dir'
export TIDINGS_TEST_DOVECOT_CTL='$(cd "$(dirname "$0")" && pwd)/private-dovecot.sh'
export TIDINGS_TEST_IMAP_URL='imap://127.0.0.1:$imap_port/INBOX'
export TIDINGS_TEST_IMAPS_URL='imaps://localhost:$imaps_port/INBOX'
export TIDINGS_TEST_IMAP_PORT='$imap_port'
export TIDINGS_TEST_IMAPS_PORT='$imaps_port'
export TIDINGS_TEST_IMAP_USER='tidings'
export TIDINGS_TEST_IMAP_PASSWORD_FILE='$dir/password'
export TIDINGS_TEST_IMAP_CA_FILE='$certs/ca.pem'
export TIDINGS_TEST_LMTP_PORT='$lmtp_port'
ENV
}

case "$action" in
init) init "$3" ;;
add-user) add_user "$3" ;;
start) start_master ;;
stop) stop_master ;;
restart) stop_master; start_master ;;
kick)
    # 68: nobody to kick (the connection had already gone).
    /usr/bin/doveadm -c "$dir/dovecot.conf" kick "$3" >/dev/null || [ $? -eq 68 ] ;;
*) echo "usage: $0 init DIR CERT_DIR | add-user DIR NAME | kick DIR NAME | start|stop|restart DIR" >&2; exit 2 ;;
esac
