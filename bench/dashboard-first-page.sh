#!/usr/bin/env bash
# The dashboard of the 100,000-measure synthetic company (issue 16; bench/README.md "Dashboard of a large scorecard"):
# the size of its first page and the time to its first byte, measured by hand, never a timed test.
#   bench/dashboard-first-page.sh            # loads the data into PostgreSQL first (a few minutes)
#   LOAD=0 bench/dashboard-first-page.sh     # reuses openbsc_bench_load from an earlier run (this script or dashboard-load.sh)
# Targets: the first page at most 2 MB, its first byte within 1 s once the scorecard is loaded (a page not yet in
# the page cache: each measured URL differs, so each is rendered afresh).
set -euo pipefail
cd "$(dirname "$0")/.."

server=$(tests/postgres.sh)
database=openbsc_bench_load
connection="${server/Database=postgres/Database=$database}"
cli=(dotnet src/OpenBsc.Cli/bin/Release/net10.0/openbsc.dll)
port=5093

dotnet build src/OpenBsc.Cli -c Release -v q -nologo >/dev/null
if [ "${LOAD:-1}" = 1 ]; then
  dotnet build bench/OpenBsc.Benchmarks -c Release -v q -nologo >/dev/null
  dotnet bench/OpenBsc.Benchmarks/bin/Release/net10.0/OpenBsc.Benchmarks.dll pg-load "$server" 100000 "$database" --demo
fi
"${cli[@]}" db migrate --db postgres --connection "$connection" >/dev/null

"${cli[@]}" serve --db postgres --connection "$connection" --urls "http://127.0.0.1:$port" --no-demo >"/tmp/openbsc-first-page.log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.5; done

# A viewer, signed in through the real forms (sign-in with the one-time password, then a password of their own).
user="first-page-$(date +%s)@bench.example"
password="first page password $(date +%s)"
once=$("${cli[@]}" users add "$user" --role viewer --db postgres --connection "$connection" | sed -n 's/.*one-time password: \([^ ]*\) .*/\1/p')
jar=$(mktemp)
form_token() { curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port$1" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -1 | sed 's/.*value="\([^"]*\)"/\1/'; }
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$(form_token /login)" --data-urlencode "userName=$user" \
  --data-urlencode "password=$once" --data-urlencode "returnUrl=/" "http://127.0.0.1:$port/account/login"
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$(form_token /account/password)" --data-urlencode "current=$once" \
  --data-urlencode "new=$password" --data-urlencode "confirm=$password" "http://127.0.0.1:$port/account/password/change"

page=/scorecards/synthetic?period=2026-06
# The first visit loads the 5.9 million observations into the model: reported, not judged.
curl -s -o /dev/null -m 900 -b "$jar" -w "load:   %{http_code}, first byte %{time_starttransfer} s, %{size_download} bytes (the scorecard loaded from the database)\n" "http://127.0.0.1:$port$page&visit=0"
for n in 1 2 3 4 5; do
  curl -s -o /tmp/openbsc-first-page.html -b "$jar" -w "render: %{http_code}, first byte %{time_starttransfer} s, total %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:$port$page&visit=$n"
done
curl -s -o /dev/null -b "$jar" -w "cached: %{http_code}, first byte %{time_starttransfer} s, %{size_download} bytes\n" "http://127.0.0.1:$port$page&visit=5"
# Expanding one objective renders its subtree's next level (the same page, one more branch open).
open=$(grep -o 'open=[^"&#]*' /tmp/openbsc-first-page.html | head -1)
curl -s -o /dev/null -b "$jar" -w "expand: %{http_code}, first byte %{time_starttransfer} s, %{size_download} bytes ($open)\n" "http://127.0.0.1:$port$page&$open"
rm -f "$jar"
