#!/bin/sh
# Debian's chromium for the dashboard's browser tests (tests/test_dashboard.py).
# Idempotent: does nothing when /usr/bin/chromium is already there. Never `playwright install`:
# the tests drive this system browser through the playwright Python package.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium chromium-driver
/usr/bin/chromium --version
