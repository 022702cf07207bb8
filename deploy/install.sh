#!/usr/bin/env bash
# Builds a release binary and installs Tidings as a systemd service:
#   /usr/local/bin/tidings, /usr/local/share/tidings/templates, /usr/local/share/doc/tidings,
#   /etc/tidings/tidings.yaml (from the documented example, kept if present),
#   /etc/tidings/credentials/{database-url,smtp-password,inbound-password,tag-key,link-key} (mode 0600, kept if present;
#   link-key made with a new random key),
#   /etc/systemd/system/tidings.service.
# Then: put the database URL in /etc/tidings/credentials/database-url, the SMTP password in
# .../smtp-password (empty for a relay without AUTH), set smtp.url and mail.from in tidings.yaml,
# run `tidings check` with those files (the command is printed at the end), and
# `systemctl enable --now tidings`.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (it writes /usr/local and /etc)" >&2; exit 1; }
prefix=${PREFIX:-/usr/local}

scripts/testenv/install-deps.sh >/dev/null
swift build -c release --product tidings
bin=$(swift build -c release --show-bin-path)/tidings

install -d "$prefix/bin" "$prefix/share/tidings" "$prefix/share/doc/tidings"
install -m 0755 "$bin" "$prefix/bin/tidings"
rm -rf "$prefix/share/tidings/templates"
cp -R templates "$prefix/share/tidings/templates"
install -m 0644 README.md docs/ARCHITECTURE.md deploy/tidings.example.yaml "$prefix/share/doc/tidings/"
install -d -m 0755 "$prefix/share/tidings/crm"
cp deploy/crm/*.sql "$prefix/share/tidings/crm/" 2>/dev/null || true

install -d -m 0755 /etc/tidings
[ -e /etc/tidings/tidings.yaml ] || install -m 0644 deploy/tidings.example.yaml /etc/tidings/tidings.yaml
install -d -m 0700 /etc/tidings/credentials
for name in database-url smtp-password inbound-password tag-key; do
    [ -e "/etc/tidings/credentials/$name" ] || install -m 0600 /dev/null "/etc/tidings/credentials/$name"
done
# The key of the digest links (used with http.listen): random, so links work as soon as it is on.
if [ ! -e /etc/tidings/credentials/link-key ]; then
    (umask 077; openssl rand -hex 32 > /etc/tidings/credentials/link-key)
fi

sed "s#/usr/local/bin/tidings#$prefix/bin/tidings#g" deploy/tidings.service > /etc/systemd/system/tidings.service
chmod 0644 /etc/systemd/system/tidings.service
if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
echo "installed $("$prefix/bin/tidings" --version 2>/dev/null || echo tidings) to $prefix/bin/tidings"
echo "next: edit /etc/tidings/tidings.yaml and /etc/tidings/credentials/* (an empty smtp-password: no AUTH), then check:"
echo "  TIDINGS_DATABASE_URL_FILE=/etc/tidings/credentials/database-url TIDINGS_SMTP_PASSWORD_FILE=/etc/tidings/credentials/smtp-password $prefix/bin/tidings check"
echo "and start: systemctl enable --now tidings"
