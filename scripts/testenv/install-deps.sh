#!/usr/bin/env bash
# Installs what Tidings builds and tests with, idempotently, on Debian: only what is missing is
# installed, so a second run is quick and needs no network.
set -euo pipefail

# apt_install PACKAGE...: installs the packages (as root, or through sudo).
apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# spamassassin and tidy judge the messages Tidings composes (DaemonSpamAssassinTests, HTML checks);
# mutt, driven in tmux, lists a delivered email's attachments as a reader's client does.
# Dovecot (IMAP and LMTP) and Postfix are the inbound tests' mail server (services.sh starts
# private instances of both; the system ones are never used). curl and chromium use the HTTP
# listener's links and photograph its pages (HTTPLinksThroughTheBinaryTests).
apt_packages=(libcurl4-openssl-dev libpq-dev postgresql-15 postfix dovecot-imapd dovecot-lmtpd openssl ca-certificates spamassassin tidy
              mutt tmux curl chromium)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    apt_install "${missing[@]}"
fi

# Python modules go into the python3 the tests run, which may be pyenv's rather than Debian's.
# Debian's own Python refuses pip installs (PEP 668, EXTERNALLY-MANAGED): it gets Debian's
# package instead.
# pip_module MODULE PIP_NAME DEBIAN_PACKAGE: installs the module unless python3 imports it.
pip_module() {
    python3 -c "import $1" 2>/dev/null && return 0
    if python3 -c 'import sys, sysconfig, os; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'; then
        echo "installing: $3 (apt, for Debian's python3)" >&2
        apt_install "$3"
    else
        echo "installing: $2 (pip)" >&2
        python3 -m pip install --quiet --disable-pip-version-check "$2"
    fi
}
# aiosmtpd: the SMTP test servers. prometheus_client: its parser reads /metrics (metrics_check.py).
pip_module aiosmtpd aiosmtpd python3-aiosmtpd
pip_module prometheus_client prometheus_client python3-prometheus-client
