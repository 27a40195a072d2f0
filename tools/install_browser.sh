#!/usr/bin/env sh
# Debian's Chromium and its ChromeDriver, for the report's browser tests
# (tests/test_report_browser.py drives /usr/bin/chromium through /usr/bin/chromedriver).
# Nothing is downloaded but Debian's packages; a machine that has both does nothing.
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "the browser tests need Debian's chromium and chromium-driver: run 'sudo $0' once" >&2
    exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
