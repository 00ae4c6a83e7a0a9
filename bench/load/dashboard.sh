#!/usr/bin/env bash
# Load run of signed-in requests (issue 19; bench/README.md "Load: signed-in requests"). One Kestrel, one run, each
# figure a ratio against the first:
#   1. /assets/app.css without a cookie                      the baseline
#   2. /assets/app.css with a signed-in viewer's cookie      target >= 0.8x the baseline
#   3. the demo's customer-support dashboard as that viewer  target >= 0.4x the baseline, p99 <= 20 ms (page cache on)
# The viewer signs in through the real forms (one-time password, then a password of their own).
# Needs wrk (apt-get install wrk). Usage: bench/load/dashboard.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-32}
seconds=${2:-15}
port=5181
data=$(mktemp -d)
jar=$(mktemp)
cli=(dotnet src/OpenBsc.Cli/bin/Release/net10.0/openbsc.dll)
base="http://127.0.0.1:$port"

dotnet build src/OpenBsc.Cli -c Release -v q -nologo >/dev/null
"${cli[@]}" demo --data "$data" >/dev/null
"${cli[@]}" serve --data "$data" --urls "$base" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data" "$jar"' EXIT
until curl -s -o /dev/null -f "$base/login"; do sleep 0.2; done

user="load-$(date +%s)@bench.example"
password="load run password $(date +%s)"
once=$("${cli[@]}" users add "$user" --role viewer --data "$data" | sed -n 's/.*one-time password: \([^ ]*\) .*/\1/p')
form_token() { curl -s -c "$jar" -b "$jar" "$base$1" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | head -1 | sed 's/.*value="\([^"]*\)"/\1/'; }
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$(form_token /login)" --data-urlencode "userName=$user" \
  --data-urlencode "password=$once" --data-urlencode "returnUrl=/" "$base/account/login"
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "__RequestVerificationToken=$(form_token /account/password)" --data-urlencode "current=$once" \
  --data-urlencode "new=$password" --data-urlencode "confirm=$password" "$base/account/password/change"
# Every cookie of the jar (the session, possibly in chunks, and antiforgery), as a browser sends them.
cookie=$(awk -F'\t' 'NF == 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")

page="$base/scorecards/customer-support?period=2026-06"
status=$(curl -s -o /tmp/openbsc-load-page.html -w '%{http_code}' -H "Cookie: $cookie" "$page")
[ "$status" = 200 ] && grep -q 'Customer' /tmp/openbsc-load-page.html || { echo "error: the signed-in dashboard answered $status" >&2; exit 1; }

run() { # label url cookie name
  local header=()
  [ -n "$3" ] && header=(-H "Cookie: $3")
  wrk -t2 -c"$connections" -d3s "${header[@]}" "$2" >/dev/null   # warm-up, not counted
  local out
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${header[@]}" "$2")
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  bad=$(awk '/Non-2xx/ { print $5 }' <<<"$out")
  printf '%-44s %10s req/s  p50 %8s  p99 %8s%s\n' "$1" "$rps" "$p50" "$p99" "${bad:+  NON-2xx: $bad}"
  echo "$rps" >"$data/rps-$4"
}

echo "== wrk -t2 -c$connections -d${seconds}s, one Kestrel, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
run "static file, no cookie (baseline)" "$base/assets/app.css" "" static
run "static file, signed-in cookie" "$base/assets/app.css" "$cookie" signed-static
run "dashboard, signed-in viewer (page cache on)" "$page" "$cookie" dashboard
# The baseline again: on a shared machine the load moves during a run; the ratios use the mean of both baselines.
run "static file, no cookie (baseline, again)" "$base/assets/app.css" "" static-again
ratio() { awk -v a="$(cat "$data/rps-$1")" -v b="$(cat "$data/rps-static")" -v c="$(cat "$data/rps-static-again")" 'BEGIN { printf "%.2f", a / ((b + c) / 2) }'; }
echo "ratios to the baseline: signed-in static file $(ratio signed-static)x (target >= 0.8), dashboard $(ratio dashboard)x (target >= 0.4)"
