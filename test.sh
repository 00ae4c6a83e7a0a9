#!/usr/bin/env bash
# The README's test command: builds with warnings as errors and runs every test.
# It installs and starts what the tests need on a fresh Debian machine (as root), so it works from a clean clone.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Browser tests drive Debian's Chromium (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (browser tests)"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

# Report tests read the PDF back with poppler (pdftotext, pdftoppm).
if ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing poppler-utils (report tests)"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  fi
fi

# Integration tests run on SQLite and on PostgreSQL: a throw-away PostgreSQL 15 cluster on 127.0.0.1:55432
# (installed with apt when missing). If it cannot start, the run fails here; PostgreSQL tests are never skipped.
echo "== postgresql (throw-away cluster for the tests)"
OPENBSC_TEST_POSTGRES=$(tests/postgres.sh) || { echo "error: could not start PostgreSQL for the tests (see above)"; exit 2; }
export OPENBSC_TEST_POSTGRES

# Connector tests read from a real MariaDB server as a source: a throw-away one on 127.0.0.1:53306 (apt when missing).
echo "== mariadb (throw-away server, a source for the connector tests)"
OPENBSC_TEST_MARIADB=$(tests/mariadb.sh) || { echo "error: could not start MariaDB for the tests (see above)"; exit 2; }
export OPENBSC_TEST_MARIADB

echo "== build (warnings are errors)"
dotnet build OpenBsc.slnx -c Release

echo "== test"
log=$(mktemp)
status=0
set +e
# One project after the other: the browser journeys run alone, not beside the database-heavy integration tests,
# whose load on a 2-core machine once stretched a first sign-in past its 90 s bound.
for project in $(ls -d tests/*Tests | grep -v BrowserTests) tests/OpenBsc.BrowserTests; do
  dotnet test "$project" -c Release --no-build 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done

# The installed command (docs/install.md): pack the .NET tool, install it into a temporary tool path, run it.
echo "== install (tests/install.sh)"
if tests/install.sh 2>&1 | tee -a "$log"; then
  echo "Passed:     1 (install)" >>"$log"
else
  echo "Failed:     1 (install)" >>"$log"
  status=1
fi
set -e

# One closing line that CI reads: 'N passed, N failed'.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "${passed} passed, ${failed} failed"
exit "$status"
