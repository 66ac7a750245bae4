#!/usr/bin/env bash
# A PostgreSQL server for the tests, on 127.0.0.1 only, with its data in the project.
#
#   scripts/test-postgres.sh start   # init (first time), start, create role + database; idempotent
#   scripts/test-postgres.sh stop    # stop it if running; idempotent
#   scripts/test-postgres.sh url     # print the connection URL (for JOEFLOW_TEST_PG_URL)
#   scripts/test-postgres.sh status  # exit 0 if running
#   scripts/test-postgres.sh reset   # stop and delete its data
#
# Settings (environment): JOEFLOW_TEST_PG_PORT (default: a free port, chosen at start and kept in the data
# folder's `port` file until the next start), JOEFLOW_TEST_PG_DIR (<project>/.data/test-postgres),
# PG_BIN (folder with initdb/pg_ctl; default: the newest /usr/lib/postgresql/*/bin, else PATH).
# Run as root, the server runs as the `postgres` user (PostgreSQL refuses to run as root). A throwaway
# test server: fsync is off, and it listens on 127.0.0.1 only, with no Unix socket.
set -euo pipefail

root=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
base=${JOEFLOW_TEST_PG_DIR:-$root/.data/test-postgres}
db=joeflow_test
user=joeflow
password=joeflow
superpassword=postgres

if [ -z "${PG_BIN:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PG_BIN" ] && command -v pg_ctl >/dev/null; then PG_BIN=$(dirname "$(command -v pg_ctl)"); fi
fi
if [ ! -x "${PG_BIN:-}/pg_ctl" ]; then
  echo "test-postgres: no PostgreSQL server binaries found (install the Debian package postgresql, or set PG_BIN)" >&2
  exit 1
fi
psql_bin=$PG_BIN/psql
[ -x "$psql_bin" ] || psql_bin=psql

# As root, run the server's programs as `postgres`, from a folder it can enter.
as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

if [ "$(id -u)" = 0 ] && [ -z "${JOEFLOW_TEST_PG_DIR:-}" ]; then
  # `postgres` must be able to reach the data folder; under a private home (mode 700) it cannot.
  if ! (cd / && runuser -u postgres -- test -x "$root"); then
    base=/var/tmp/joeflow-test-postgres-$(printf '%s' "$root" | sha256sum | cut -c1-12)
  fi
fi
data=$base/data
log=$base/postgres.log
port_file=$base/port

# The port: the one asked for, else the one this server was started on, else (at start) a free one.
port=${JOEFLOW_TEST_PG_PORT:-$(cat "$port_file" 2>/dev/null || true)}
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
    console.log(s.address().port); s.close(); })'
}

running() { [ -f "$data/PG_VERSION" ] && as_owner "$PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1; }

superuser_sql() {
  PGPASSWORD=$superpassword "$psql_bin" -X -q -v ON_ERROR_STOP=1 \
    "postgresql://postgres@127.0.0.1:$port/postgres" "$@"
}

init() {
  mkdir -p "$base"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$base"; fi
  if [ -f "$data/PG_VERSION" ]; then return 0; fi
  rm -rf "$data" # a folder left by an interrupted init
  local pwfile
  pwfile=$(mktemp)
  printf '%s\n' "$superpassword" >"$pwfile"
  chmod 644 "$pwfile"
  as_owner "$PG_BIN/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 || {
    rm -f "$pwfile"
    cat "$base/initdb.log" >&2
    exit 1
  }
  rm -f "$pwfile"
  cat >>"$data/postgresql.conf" <<EOF

# test-postgres.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start() {
  init
  if ! running; then
    if [ -z "${JOEFLOW_TEST_PG_PORT:-}" ]; then port=$(free_port); fi
    printf '%s\n' "$port" >"$port_file"
    echo "test-postgres: starting PostgreSQL on 127.0.0.1:$port (data $data, log $log)" >&2
    if [ "$(id -u)" = 0 ]; then touch "$log" && chown postgres: "$log"; fi
    as_owner "$PG_BIN/pg_ctl" start -D "$data" -l "$log" -w -t 60 -o "-p $port" >/dev/null || {
      echo "test-postgres: PostgreSQL did not start; the end of $log:" >&2
      tail -n 20 "$log" >&2
      exit 1
    }
  fi
  superuser_sql <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$user', '$password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$db', '$user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \gexec
SQL
  echo "test-postgres: ready: $(url)" >&2
}

stop() {
  if running; then
    as_owner "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null
    echo "test-postgres: stopped" >&2
  fi
}

url() {
  if [ -z "$port" ]; then
    echo "test-postgres: not started yet, so it has no port" >&2
    exit 1
  fi
  printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$user" "$password" "$port" "$db"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  status) running ;;
  reset) stop && rm -rf "$base" ;;
  *)
    echo "usage: $0 start|stop|url|status|reset" >&2
    exit 2
    ;;
esac
