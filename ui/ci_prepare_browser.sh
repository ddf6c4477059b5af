#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser test (tests/test_ui_browser.py drives it
# through the PyPI `playwright` package; `playwright install` cannot download browsers here).
# Idempotent; run as root or with sudo available. Usage: bash ui/ci_prepare_browser.sh
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Try with the package lists as they are first (fast); refresh them only if that fails.
if ! $SUDO apt-get install -y --no-install-recommends chromium; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends chromium
fi
test -x /usr/bin/chromium
echo "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
