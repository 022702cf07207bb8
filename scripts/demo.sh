#!/usr/bin/env bash
# The demo: Tidings on a fresh machine with no configuration.
#  1. installs what is missing and builds tidings;
#  2. starts a private PostgreSQL under .tidings/demo/ and loads the reference CRM (deploy/crm);
#  3. runs the daemon against a Maildir (.tidings/demo/maildir);
#  4. plays a working day of CRM activity in seconds: stage moves, comments, participants, emails
#     (one scheduled for 09:00 the next morning in Kolkata);
#     then a customer replies and a participant replies to all, delivered into a private Dovecot
#     that the daemon reads (inbound.url), so the replies land on the deal;
#     a signed "Mute this deal" link from a delivered digest is used on the daemon's HTTP
#     listener (GET shows a page and changes nothing, POST mutes), and its /metrics are read;
#  5. fast-forwards to the next day (`run --once --now`) for the daily and hourly digests and the
#     scheduled email;
#  6. prints what was sent and where to read it;
#  7. shows the SMTP path against Postfix's real smtpd on loopback (delivering into the same
#     Dovecot): what `tidings check` finds it offers, and a test message to a UTF-8 address
#     (SMTPUTF8); then stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
demo=$root/.tidings/demo

scripts/testenv/install-deps.sh
echo "==> building tidings"
swift build --product tidings 2>&1 | grep -E "error|warning:|Compiling tidings|Build complete" || true
tidings=$(swift build --show-bin-path)/tidings
[ -x "$tidings" ] || { echo "demo: the build failed" >&2; exit 1; }

daemon_pid=""
cleanup() {
    if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then kill -TERM "$daemon_pid"; wait "$daemon_pid" || true; fi
    scripts/testenv/private-postgres.sh stop "$demo/pg" >/dev/null 2>&1 || true
    [ ! -f "$demo/postfix/etc/main.cf" ] || scripts/testenv/private-postfix.sh stop "$demo/postfix" >/dev/null 2>&1 || true
    [ ! -f "$demo/dovecot/dovecot.conf" ] || scripts/testenv/private-dovecot.sh stop "$demo/dovecot" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

rm -rf "$demo"
mkdir -p "$demo"
echo "==> starting a private PostgreSQL in $demo/pg"
url=$(scripts/testenv/private-postgres.sh init "$demo/pg")
psql -X -q -d "$url" -c "CREATE DATABASE crm" >/dev/null
export TIDINGS_DATABASE_URL="${url%/*}/crm"
export TIDINGS_SMTP_URL="maildir://$demo/maildir"
export TIDINGS_TEMPLATES="$root/templates"
export TIDINGS_FROM='"Atlântico CRM" <crm@atlantico.example>'
export TIDINGS_CONFIG="$demo/tidings.yaml"

echo "==> starting a private Dovecot in $demo/dovecot (the mailbox replies come back to)"
mkdir -p "$demo/certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$demo/certs/server.key" -out "$demo/certs/server.pem" 2>/dev/null
dovecot_env=$(scripts/testenv/private-dovecot.sh init "$demo/dovecot" "$demo/certs")
imap_port=$(sed -n "s/^export TIDINGS_TEST_IMAP_PORT='\(.*\)'$/\1/p" <<<"$dovecot_env")
lmtp_port=$(sed -n "s/^export TIDINGS_TEST_LMTP_PORT='\(.*\)'$/\1/p" <<<"$dovecot_env")
scripts/testenv/private-dovecot.sh add-user "$demo/dovecot" replies
# The key that signs the tagged Reply-To and the VERP envelope sender (return path).
openssl rand -hex 32 > "$demo/tag-key"
# The key that signs the digest links, and a free loopback port for the HTTP listener.
openssl rand -hex 32 > "$demo/link-key"
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$TIDINGS_CONFIG" <<YAML
mail:
  crm_url: https://crm.atlantico.example/settings/notifications
  unsubscribe_url: https://crm.atlantico.example/unsubscribe?user={user_id}
  author_domains: [atlantico.example]
  reply_address: '"Atlântico CRM" <replies@atlantico.example>'
  bounce_address: bounces@atlantico.example
  tag_key_file: $demo/tag-key
inbound:
  url: imap://replies@127.0.0.1:$imap_port/INBOX
  password_file: $demo/dovecot/password
  poll_interval_seconds: 1
  after: seen
http:
  listen: 127.0.0.1:$http_port
  public_url: https://links.atlantico.example
  link_key_file: $demo/link-key
digests:
  immediate_window_seconds: 5
daemon:
  poll_interval_seconds: 0.5
YAML

echo "==> tidings migrate, then the reference CRM and its seed data"
"$tidings" migrate | sed 's/^/    /'
for file in deploy/crm/0*.sql scripts/demo/preferences.sql; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$TIDINGS_DATABASE_URL" -f "$file" >/dev/null
done
"$tidings" check | sed 's/^/    /'

echo "==> starting the daemon (log: $demo/daemon.log)"
("$tidings" run > "$demo/daemon.log" 2>&1) &
daemon_pid=$!
for _ in $(seq 1 100); do grep -q "ready" "$demo/daemon.log" 2>/dev/null && break; sleep 0.1; done
grep -q "ready" "$demo/daemon.log" || { cat "$demo/daemon.log"; echo "demo: the daemon did not start" >&2; exit 1; }

echo "==> a working day in the CRM"
scripts/demo/activity.sh

echo "==> letting the daemon send (deal emails at once, the scheduled one at its time; 'immediate' digests after a 5 s window)"
for _ in $(seq 1 100); do
    pending=$(psql -X -At -d "$TIDINGS_DATABASE_URL" -c "SELECT (SELECT count(*) FROM tidings.outbox WHERE status = 'sending' OR (status = 'queued' AND next_attempt_at <= now()))")
    [ "$pending" = "0" ] && break
    sleep 0.2
done
echo "==> the customers answer (delivered into Dovecot; the daemon reads them within a second)"
python3 scripts/demo/replies.py "$demo/maildir" "$lmtp_port"
for _ in $(seq 1 100); do
    recorded=$(psql -X -At -d "$TIDINGS_DATABASE_URL" -c "SELECT count(*) FROM tidings.inbound_messages")
    [ "$recorded" -ge 2 ] && break
    sleep 0.2
done
psql -X -q -d "$TIDINGS_DATABASE_URL" -c "SELECT id, deal_id, kind, sender_role AS role, from_name, left(excerpt, 60) AS excerpt FROM tidings.inbound_messages ORDER BY id"
[ "$recorded" -ge 2 ] || { echo "demo: the replies were not recorded (see $demo/daemon.log)" >&2; exit 1; }
sleep 7
echo "==> a digest link: 'Mute this deal' from a delivered digest, on the daemon's listener"
# The digest's link names the public URL (the reverse proxy); the demo goes to the listener itself.
mute=$(python3 scripts/demo/mute-link.py "$demo/maildir" "https://links.atlantico.example")
local_mute=${mute/https:\/\/links.atlantico.example/http://127.0.0.1:$http_port}
echo "    GET  ${mute:0:60}... -> $(curl -s "$local_mute" | sed -n 's:.*<h1>\(.*\)</h1>.*:\1:p') (nothing changes yet)"
psql -X -At -d "$TIDINGS_DATABASE_URL" -c "SELECT '    muted deals before the POST: ' || count(*) FROM tidings.deal_preferences WHERE muted"
echo "    POST ${mute:0:60}... -> $(curl -s -X POST "$local_mute" | sed -n 's:.*<p>\(.*\)</p>.*:\1:p') (and an undo button)"
psql -X -q -d "$TIDINGS_DATABASE_URL" -c "SELECT user_id, deal_id, muted FROM tidings.deal_preferences WHERE muted"
echo "==> what an operator's Prometheus reads: GET /metrics on the same listener (a few lines of it)"
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^tidings_(messages_sent_total|queue_depth|inbound_messages_total|fanout_lag_seconds)' \
    | grep -vE ' 0(\.0)?$' | sed 's/^/    /' || true
echo "==> stopping the daemon (SIGTERM: in-flight sends finish, then exit 0)"
kill -TERM "$daemon_pid"; wait "$daemon_pid"; echo "    daemon exited with status $?"; daemon_pid=""

tomorrow=$(date -u -d "tomorrow 12:00" +%Y-%m-%dT%H:%M:%SZ)
psql -X -q -d "$TIDINGS_DATABASE_URL" -c "SELECT id, deal_id, status, send_at AS \"scheduled for (send_at)\" FROM tidings.outbox WHERE status = 'queued' ORDER BY id"
echo "==> fast-forward to $tomorrow: tidings run --once --now $tomorrow (daily and hourly digests and the scheduled email are due)"
"$tidings" run --once --now "$tomorrow" 2>>"$demo/daemon.log" | sed 's/^/    /'

echo "==> what the CRM's people received"
# The scheduled emails, by Message-ID, so the report can say which one waited for its time.
scheduled=$(psql -X -At -F ' ' -d "$TIDINGS_DATABASE_URL" -c "SELECT coalesce(message_id, '-'), to_char(send_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"') FROM tidings.outbox WHERE send_at IS NOT NULL ORDER BY id")
DEMO_SCHEDULED="$scheduled" python3 scripts/demo/report.py "$demo/maildir"
psql -X -q -d "$TIDINGS_DATABASE_URL" -c "SELECT id, deal_id, status, send_at, sent_at, message_id, jsonb_array_length(recipient_results) AS recipients FROM tidings.outbox ORDER BY id"
echo "==> the SMTP path (the demo above used a Maildir): Postfix's real smtpd on loopback, delivering into the Dovecot"
postfix_env=$(scripts/testenv/private-postfix.sh init "$demo/postfix" "$lmtp_port")
postfix_port=$(sed -n "s/^export TIDINGS_TEST_POSTFIX_SMTP_PORT='\(.*\)'$/\1/p" <<<"$postfix_env")
# libcurl connects; Tidings' own transactions use what the relay offers (pipelined, DSN, UTF-8 addresses).
{ TIDINGS_SMTP_URL="smtp://127.0.0.1:$postfix_port" "$tidings" check 2>/dev/null || true; } | grep "mail transport" | sed 's/^/    /'
TIDINGS_SMTP_URL="smtp://127.0.0.1:$postfix_port" "$tidings" send-test --to "joão.simões@cliente.example" 2>&1 | sed 's/^/    /'

cat <<TEXT
Read the messages: $demo/maildir/new/ (one file per message; e.g. mutt -f $demo/maildir,
or open a .eml copy in any mail client). The daemon's log: $demo/daemon.log.
Everything the demo started has been stopped; run it again to start afresh.
TEXT
