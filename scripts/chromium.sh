#!/usr/bin/env bash
# Install Debian's Chromium (+ a CJK font so Chinese pages render in browser
# tests/screenshots). Playwright is pointed at /usr/bin/chromium via
# executable_path: `playwright install` downloads a browser build, which this
# network cannot reach, so never run it.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy'; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# Try without `apt-get update` first (cheap when lists are current); refresh
# the index and retry only if that fails.
if ! as_root apt-get install -y -q --no-install-recommends chromium fonts-wqy-microhei >/dev/null 2>&1; then
  as_root apt-get update -q >/dev/null
  as_root apt-get install -y -q --no-install-recommends chromium fonts-wqy-microhei >/dev/null
fi
/usr/bin/chromium --version
