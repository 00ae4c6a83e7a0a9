#!/usr/bin/env bash
# Starts (or reuses) the throw-away PostgreSQL 15 cluster the tests run against: 127.0.0.1:55432, trust auth,
# data in /tmp/openbsc-pg. Installs PostgreSQL with apt when it is missing (as root). Prints the connection
# string on stdout; exits non-zero with the reason when it cannot — tests never skip PostgreSQL.
set -euo pipefail
port="${OPENBSC_PG_PORT:-55432}"
root="${OPENBSC_PG_DIR:-/tmp/openbsc-pg}"
connection="Host=127.0.0.1;Port=${port};Username=postgres;Database=postgres"

as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }

if pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; then
  echo "$connection"; exit 0
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "== installing postgresql" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# initdb refuses to run as root: the cluster belongs to the postgres user (created by the package).
run_pg() { if [ "$(id -u)" = "0" ]; then su postgres -c "$*"; else "$@"; fi; }
owner=$([ "$(id -u)" = "0" ] && echo postgres || id -un)
as_root mkdir -p "$root"
as_root chown "$owner" "$root"
if [ ! -f "$root/data/PG_VERSION" ]; then
  run_pg "$bin/initdb" -D "$root/data" -A trust -U postgres -E UTF8 >/dev/null
fi
# fsync off: a throw-away cluster for tests and benchmarks (docs/database.md); durability is not under test.
run_pg "$bin/pg_ctl" -D "$root/data" -o "'-c listen_addresses=127.0.0.1 -p $port -k $root -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300'" -l "$root/log" -w start >&2 \
  || { echo "error: PostgreSQL did not start on 127.0.0.1:$port; see $root/log" >&2; exit 1; }
pg_isready -q -h 127.0.0.1 -p "$port" || { echo "error: PostgreSQL is not answering on 127.0.0.1:$port" >&2; exit 1; }
echo "$connection"
