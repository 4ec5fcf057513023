#!/usr/bin/env bash
# Ensure a local PostgreSQL (Debian's packaged cluster) is running and has the
# `portal` role + database used by the PostgreSQL test stage and local dev.
# Re-runnable: every step checks before it acts. Prints the DATABASE_URL.
set -euo pipefail

PG_USER=portal PG_PASS=portal PG_DB=portal
URL="postgres://${PG_USER}:${PG_PASS}@127.0.0.1:5432/${PG_DB}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

# Install only when missing; `apt-get update` only if installing from the
# current (possibly empty/stale) package index fails.
if ! command -v pg_ctlcluster >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q postgresql >/dev/null 2>&1; then
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q postgresql >/dev/null
  fi
fi

# Debian creates one cluster named `main`; pick its (newest) version.
VER=$(pg_lsclusters --no-header | awk '$2=="main"{print $1}' | sort -n | tail -1)
if [ -z "$VER" ]; then
  VER=$(basename "$(printf '%s\n' /usr/lib/postgresql/*/ | sort -V | tail -1)")
  as_root pg_createcluster "$VER" main >/dev/null
fi
if ! pg_lsclusters --no-header | awk -v v="$VER" '$1==v && $2=="main"' | grep -q online; then
  as_root pg_ctlcluster "$VER" main start
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 >/dev/null || { echo "PostgreSQL did not become ready" >&2; exit 1; }

# CREATEDB: pytest-django creates and drops its own test_portal database.
as_pg psql -v ON_ERROR_STOP=1 -q -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_USER}') THEN
    CREATE ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASS}';
  ELSE
    ALTER ROLE ${PG_USER} LOGIN CREATEDB PASSWORD '${PG_PASS}';
  END IF;
END \$\$;
SQL
if [ "$(as_pg psql -tAq -d postgres -c "SELECT 1 FROM pg_database WHERE datname='${PG_DB}'")" != 1 ]; then
  as_pg createdb -O "$PG_USER" "$PG_DB"
fi

echo "DATABASE_URL=${URL}"
