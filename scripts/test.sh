#!/usr/bin/env bash
# The project's test command (README, `make test`, .ci/run).
#   scripts/test.sh [pytest args...]
# Stages: lint+checks, pytest on SQLite, pytest on PostgreSQL. Every stage
# runs even if an earlier one failed, so one run shows all breakage; the exit
# status is non-zero if any stage failed.
# CI=true: provisions PostgreSQL, Elasticsearch and Chromium (each a no-op
# when already there) and treats a missing PostgreSQL as a failure.
# Locally: uses PostgreSQL/Elasticsearch only if they already answer.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=postgres://portal:portal@127.0.0.1:5432/portal
ES_URL=${ELASTICSEARCH_URL:-http://127.0.0.1:9200}
# Same truthiness as tests/conftest.py: 1, true and yes all mean CI.
case "${CI:-}" in 1|true|TRUE|True|yes|YES) CI=true ;; *) CI=false ;; esac
export CI

scripts/venv.sh requirements-dev.txt

if [ "$CI" = true ]; then
  scripts/postgres.sh
  scripts/elasticsearch.sh
  scripts/chromium.sh
  export PORTAL_TEST_POSTGRES_URL=$PG_URL
  export ELASTICSEARCH_URL=$ES_URL
else
  if [ -z "${PORTAL_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null &&
     pg_isready -q -h 127.0.0.1 -p 5432; then
    export PORTAL_TEST_POSTGRES_URL=$PG_URL
  fi
  # Health, not "/": the local ES build answers 405 on "/" (see elasticsearch.sh).
  if curl -fsS -m 5 "$ES_URL/_cluster/health" >/dev/null 2>&1; then
    export ELASTICSEARCH_URL=$ES_URL
  else
    unset ELASTICSEARCH_URL
  fi
fi

export DJANGO_SETTINGS_MODULE=portal.settings.test
# pytest-xdist: one worker per core (at most 4). PYTEST_WORKERS=0 runs in one process.
XDIST=(-n "${PYTEST_WORKERS:-auto}" --maxprocesses 4)
[ "${PYTEST_WORKERS:-}" = 0 ] && XDIST=()
# Stages a and b must use the test settings' default SQLite, whatever the
# caller's shell has in DATABASE_URL.
unset DATABASE_URL

declare -a SUMMARY=()
FAILED=0
stage() {  # stage NAME CMD...: run, record PASS/FAIL, never abort the script
  local name=$1; shift
  echo "==> $name: $*"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then SUMMARY+=("PASS  $name"); else SUMMARY+=("FAIL  $name (exit $rc)"); FAILED=1; fi
}

stage "ruff check" .venv/bin/ruff check .
stage "manage.py check" .venv/bin/python manage.py check
stage "makemigrations --check" .venv/bin/python manage.py makemigrations --check --dry-run
stage "pytest (SQLite)" .venv/bin/pytest "${XDIST[@]}" -m "not postgres" "$@"

if [ -n "${PORTAL_TEST_POSTGRES_URL:-}" ]; then
  # Exit 5 (no tests collected) counts as failure: there are postgres tests.
  stage "pytest (PostgreSQL)" env DATABASE_URL="$PORTAL_TEST_POSTGRES_URL" \
    .venv/bin/pytest "${XDIST[@]}" -m "postgres or anydb" "$@"
elif [ "$CI" = true ]; then
  echo "ERROR: CI=true but PORTAL_TEST_POSTGRES_URL is unset" >&2
  SUMMARY+=("FAIL  pytest (PostgreSQL): no server"); FAILED=1
else
  cat <<'BANNER'
########################################################################
###  SKIPPED: PostgreSQL tests (no server)                           ###
###  start one with `make pg` (scripts/postgres.sh) and re-run.      ###
########################################################################
BANNER
  SUMMARY+=("SKIP  pytest (PostgreSQL): no server")
fi

echo
echo "==> summary (ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-unset})"
printf '    %s\n' "${SUMMARY[@]}"
exit "$FAILED"
