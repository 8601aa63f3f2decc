#!/usr/bin/env bash
# Make PostgreSQL, Redis and Chromium available on loopback for the test suite.
# Starts them when installed but stopped; installs them from Debian's packages when missing.
set -euo pipefail

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

wait_for() {  # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "error: $what did not come up" >&2
  return 1
}

# --- PostgreSQL -----------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "Installing PostgreSQL…"
    apt_install postgresql postgresql-client
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
fi
# A fresh install only accepts passwords over TCP; give the postgres role the one our URLs use.
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1; then
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi

# The suite's own database (pytest makes test_proctique beside it; makemigrations --check reads it).
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -Atqc \
    "select 1 from pg_database where datname = 'proctique'" | grep -q 1; then
  PGPASSWORD=postgres createdb -h 127.0.0.1 -U postgres proctique
fi

# --- Redis ----------------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "Installing Redis…"
    apt_install redis-server
  fi
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
fi

# --- Chromium (Debian's build; Playwright never downloads a browser here) -------------------
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium…"
  apt_install chromium fonts-dejavu-core
fi

echo "services: PostgreSQL, Redis and Chromium ready"
