#!/usr/bin/env bash
# One command from a fresh clone to a running demo portal (README step 1):
# venv + runtime deps, SQLite DB under var/, demo content with an admin
# account (credentials are printed by load_demo), search index, dev server.
#   scripts/demo.sh            # http://127.0.0.1:8000/
#   PORT=8080 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh requirements.txt
mkdir -p var

PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py createcachetable
$PY manage.py load_demo       # idempotent
$PY manage.py update_index    # Wagtail's admin search (segmented database backend)
$PY manage.py search_index entries   # the site search's entries (its database fallback)
if [ -n "${ELASTICSEARCH_URL:-}" ]; then
  $PY manage.py search_index rebuild || echo "Elasticsearch index not built: the site search uses the database" >&2
fi
exec $PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
