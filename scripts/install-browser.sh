#!/usr/bin/env bash
# Install Debian's Chromium for the leaderboard's real-browser test.
# Idempotent: does nothing when /usr/bin/chromium is already there. Playwright's own browser downloads are not
# reachable from the build machines, so Playwright drives this system browser through executable_path instead.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

# apt needs root; use sudo only when we are not root already and it exists.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-browser: $CHROMIUM missing and not root (no sudo): install the 'chromium' package" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-browser: installing Debian's chromium package"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: apt-get finished but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM installed")"
