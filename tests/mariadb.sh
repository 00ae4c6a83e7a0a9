#!/usr/bin/env bash
# Starts (or reuses) the throw-away MariaDB server that connector tests read from as a source: 127.0.0.1:53306,
# data in /tmp/openbsc-mariadb, a user 'openbsc' with a password (the tests keep it as the source's secret).
# Installs Debian's mariadb-server with apt when it is missing (as root). Prints the connection string, password
# included, on stdout; exits non-zero with the reason when it cannot — tests never skip MariaDB.
set -euo pipefail
port="${OPENBSC_MARIADB_PORT:-53306}"
root="${OPENBSC_MARIADB_DIR:-/tmp/openbsc-mariadb}"
password="openbsc-test-secret"
connection="Server=127.0.0.1;Port=${port};User ID=openbsc;Password=${password}"

as_root() { if [ "$(id -u)" = "0" ]; then "$@"; else sudo "$@"; fi; }
answers() { mariadb-admin --protocol=socket --socket="$root/mariadb.sock" -u root ping >/dev/null 2>&1; }

if [ -S "$root/mariadb.sock" ] && answers; then
  echo "$connection"; exit 0
fi

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "== installing mariadb-server" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi

# The server runs as the mysql user (created by the package) when started as root; as the caller otherwise.
owner=$([ "$(id -u)" = "0" ] && echo mysql || id -un)
as_root mkdir -p "$root"
as_root chown "$owner" "$root"
if [ ! -d "$root/data/mysql" ]; then
  as_root mariadb-install-db --user="$owner" --datadir="$root/data" --auth-root-authentication-method=socket >/dev/null
fi
as_root /usr/sbin/mariadbd --user="$owner" --datadir="$root/data" --bind-address=127.0.0.1 --port="$port" \
  --socket="$root/mariadb.sock" --pid-file="$root/mariadb.pid" --log-error="$root/log" --skip-name-resolve \
  --innodb-flush-log-at-trx-commit=0 >/dev/null 2>&1 &
for _ in $(seq 1 60); do answers && break; sleep 0.5; done
answers || { echo "error: MariaDB did not start on 127.0.0.1:$port; see $root/log" >&2; exit 1; }
mariadb --protocol=socket --socket="$root/mariadb.sock" -u root -e \
  "CREATE USER IF NOT EXISTS 'openbsc'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT ALL ON *.* TO 'openbsc'@'127.0.0.1'; FLUSH PRIVILEGES;"
echo "$connection"
