#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1 with the role and the
# database the tests use (see profiles.yml). Installs the server with apt when
# the machine has none and we are root; starts the Debian cluster if it is
# down; never touches a server it cannot manage and says why.
set -euo pipefail

PG_HOST=${LEAD_SCORING_PG_HOST:-127.0.0.1}
PG_PORT=${LEAD_SCORING_PG_PORT:-5432}
PG_USER=${LEAD_SCORING_PG_USER:-lead_scoring}
PG_PASSWORD=${LEAD_SCORING_PG_PASSWORD:-lead_scoring}
PG_DATABASE=${LEAD_SCORING_PG_DATABASE:-lead_scoring}

can_connect() {
  PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" \
    -tAc 'select 1' >/dev/null 2>&1
}

if command -v psql >/dev/null 2>&1 && can_connect; then
  echo "postgres: ready on $PG_HOST:$PG_PORT (database $PG_DATABASE)"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
    echo "postgres: no PostgreSQL server here and no root to install one." >&2
    echo "Fix: install PostgreSQL (apt-get install postgresql), or point LEAD_SCORING_PG_HOST," >&2
    echo "     _PORT, _USER, _PASSWORD and _DATABASE at a server you can use, then run again." >&2
    exit 1
  fi
  echo "postgres: installing the server with apt (first run only)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# Start every Debian cluster that is down (a fresh install has one, "main").
while read -r version cluster port status _; do
  if [ "$status" != "online" ]; then
    echo "postgres: starting cluster $version/$cluster on port $port"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  fi
done < <(pg_lsclusters --no-header)

for _ in $(seq 1 30); do
  as_root runuser -u postgres -- pg_isready -q -p "$PG_PORT" && break
  sleep 1
done

# Create the role and the database the profile uses (idempotent). The names
# come from our own environment variables, quoted by psql's :"var" syntax.
as_root runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q \
  -v user="$PG_USER" -v password="$PG_PASSWORD" -v database="$PG_DATABASE" <<'SQL'
select format('create role %I login password %L', :'user', :'password')
where not exists (select from pg_roles where rolname = :'user') \gexec
select format('alter role %I login password %L', :'user', :'password') \gexec
select format('create database %I owner %I', :'database', :'user')
where not exists (select from pg_database where datname = :'database') \gexec
SQL

if can_connect; then
  echo "postgres: ready on $PG_HOST:$PG_PORT (database $PG_DATABASE)"
else
  echo "postgres: the server runs but $PG_USER cannot connect to $PG_DATABASE on $PG_HOST:$PG_PORT." >&2
  echo "Fix: check pg_hba.conf allows password logins from $PG_HOST." >&2
  exit 1
fi
