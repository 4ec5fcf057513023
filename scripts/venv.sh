#!/usr/bin/env bash
# Create/update .venv from a pinned requirements file (default: dev).
#   scripts/venv.sh [requirements-dev.txt|requirements.txt]
# Idempotent: pip runs only when the requirements changed since the last
# successful install (stamp file newer than every requirements file involved).
set -euo pipefail
cd "$(dirname "$0")/.."

REQ=${1:-requirements-dev.txt}
PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed-$(basename "$REQ" .txt)
DEV_STAMP=$VENV/.installed-requirements-dev

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# A venv copied from another machine (or whose base Python vanished) has a
# dangling interpreter: rebuild it rather than fail later in odd ways.
if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "venv: $VENV is broken, recreating" >&2
  rm -rf "$VENV"
fi

if [ ! -x "$VENV/bin/python" ]; then
  # Debian's python3 ships without ensurepip unless python3-venv is installed.
  if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null ||
      { echo "venv: '$PYTHON -m venv' failed; install python3-venv" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q python3-venv >/dev/null
    "$PYTHON" -m venv "$VENV"
  fi
fi

newer_than_all() {
  local stamp=$1; shift
  [ -f "$stamp" ] || return 1
  for f; do [ "$stamp" -nt "$f" ] || return 1; done
}

# The dev set includes the runtime set, so a fresh dev install satisfies both.
if newer_than_all "$STAMP" requirements.txt "$REQ" ||
   { [ "$REQ" = requirements.txt ] &&
     newer_than_all "$DEV_STAMP" requirements.txt requirements-dev.txt; }; then
  exit 0
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ"
touch "$STAMP"
echo "venv: installed $REQ into $VENV"
