#!/usr/bin/env bash
# Every row of issue 19's table, one after the other, in one run (bench/README.md; each command is described in its
# own section there). Meant for a quiet machine: the load average is printed before and after each row.
#   bench/every-row.sh                 # about 25 minutes on 2 cores
#   ORG_PAGE_PG=0 bench/every-row.sh   # without the PostgreSQL organisation page (its storing takes ~10 minutes)
set -uo pipefail
cd "$(dirname "$0")/.."
server=$(tests/postgres.sh)
bench=(dotnet bench/OpenBsc.Benchmarks/bin/Release/net10.0/OpenBsc.Benchmarks.dll)
dotnet build bench/OpenBsc.Benchmarks -c Release -v q -nologo >/dev/null
dotnet build src/OpenBsc.Cli -c Release -v q -nologo >/dev/null

row() { # title command...
  echo
  echo "=== $1 — $(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  "${@:2}" 2>&1
  echo "=== end of $1, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

row "first run from a fresh clone" bench/first-run.sh
row "installed CLI" bench/cli-start.sh
row "signed-in static file and dashboard" bench/load/dashboard.sh 32 15
row "engine snapshot with trend vs DuckDB" "${bench[@]}" check
row "PostgreSQL cold load 5,000 x 60" "${bench[@]}" pg-load "$server" 5000
row "SQLite import 1M" "${bench[@]}" import 1000000 --no-export
row "PostgreSQL import 1M" "${bench[@]}" pg-import "$server" 1000000
row "organisation page 1,000 x 50, SQLite" "${bench[@]}" org-page sqlite 1000 50
[ "${ORG_PAGE_PG:-1}" = 1 ] && row "organisation page 1,000 x 50, PostgreSQL" "${bench[@]}" org-page "$server" 1000 50
row "100,000-measure dashboard, first page" env PGLOAD_RUNS=1 bench/dashboard-first-page.sh
