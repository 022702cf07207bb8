#!/usr/bin/env bash
# Renders the sample emails (Tests/TidingsCoreTests/Digest/SampleEmails.swift) with the templates in
# templates/ and photographs them with headless Chromium into docs/images/, so a reader sees what
# collaborators and customers receive. Needs Debian's `chromium` (apt-get install chromium).
# Run it after changing a template or the planner's wording, and commit the pictures.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }

samples=$(mktemp -d /tmp/tidings-samples.XXXXXX)
profile=$(mktemp -d /tmp/tidings-chromium.XXXXXX)
trap 'rm -rf "$samples" "$profile"' EXIT

TIDINGS_SAMPLES_DIR="$samples" swift test --filter DigestSampleEmailTests >/dev/null
mkdir -p docs/images

# shoot <sample> <picture> <width> <height> [chromium flags...]
shoot() {
    local sample=$1 picture=$2 width=$3 height=$4
    shift 4
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
        --window-size="$width,$height" "$@" --screenshot="$root/docs/images/$picture.png" \
        "file://$samples/$sample.html" >/dev/null 2>&1
    echo "docs/images/$picture.png"
}

shoot digest-en digest-en 700 1200
shoot digest-pt-PT digest-pt-PT 700 1200
shoot digest-pt-BR digest-pt-BR 700 1200
shoot digest-en digest-en-dark 700 1200 --force-dark-mode
shoot digest-pt-PT digest-pt-PT-mobile 390 1500
shoot deal-email-en deal-email-en 700 330
shoot digest-catch-up-pt-PT digest-catch-up-pt-PT 700 760
