#!/usr/bin/env bash
# Installs what Tidings builds and tests with, idempotently, on Debian: only what is missing is
# installed, so a second run is quick and needs no network.
set -euo pipefail

apt_packages=(libcurl4-openssl-dev libpq-dev postgresql-15 postfix openssl ca-certificates)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The python3 on PATH may be pyenv's rather than Debian's: install into the one the tests run.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    echo "installing: aiosmtpd (pip)" >&2
    python3 -m pip install --quiet --disable-pip-version-check aiosmtpd
fi
