#!/bin/sh
# Container entrypoint: the web process (gunicorn) applies migrations first,
# so `docker compose up` works on an empty database. Other commands (the
# db_worker, manage.py shells) start as given. SKIP_MIGRATE=1 opts out.
set -eu
if [ "${1:-}" = gunicorn ] && [ "${SKIP_MIGRATE:-0}" != 1 ]; then
  python manage.py migrate --noinput
  python manage.py createcachetable
fi
exec "$@"
