#!/usr/bin/env bash
# SMTP throughput alone: the SMTP part of scripts/bench.sh (Tidings' libcurl sender beside
# Postfix's smtp-source, 2 KB messages to one smtp-sink, over 1 and 8 connections).
#
#   scripts/bench-smtp.sh            # MESSAGES=20000 ROUNDS=5 CONNECTIONS="1 8" SIZE=2048
set -euo pipefail
cd "$(dirname "$0")/.."
export SMTP_MESSAGES=${MESSAGES:-${SMTP_MESSAGES:-20000}} SMTP_ROUNDS=${ROUNDS:-${SMTP_ROUNDS:-5}}
export SMTP_CONNECTIONS=${CONNECTIONS:-${SMTP_CONNECTIONS:-"1 8"}} SMTP_SIZE=${SIZE:-${SMTP_SIZE:-2048}}
exec scripts/bench.sh --only smtp "$@"
