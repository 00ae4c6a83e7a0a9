#!/usr/bin/env bash
# Load run of the web UI (issue: web application): the dashboard page against a static file served by the same
# Kestrel, in one run. Needs wrk (apt-get install wrk). Usage: bench/load/dashboard.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
connections=${1:-32}
seconds=${2:-20}
port=5181
data=$(mktemp -d)
out=$(mktemp -d)

dotnet publish src/OpenBsc.Cli -c Release -r linux-x64 --self-contained false -o "$out" >/dev/null
"$out/openbsc" demo --data "$data" >/dev/null

# Start-up to first page on the existing database (median of 5).
times=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  "$out/openbsc" serve --data "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -s -o /dev/null -f "http://127.0.0.1:$port/scorecards/customer-support"; do sleep 0.02; done
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
  kill $pid; wait $pid 2>/dev/null || true
done
echo "serve to first page (ms): ${times[*]}"

"$out/openbsc" serve --data "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$data" "$out"' EXIT
until curl -s -o /dev/null -f "http://127.0.0.1:$port/"; do sleep 0.1; done

page="http://127.0.0.1:$port/scorecards/customer-support?period=2026-06"
wrk -t2 -c"$connections" -d3s "$page" >/dev/null
echo "== dashboard ($connections connections, ${seconds}s)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$page" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
echo "== static file, same Kestrel"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/assets/app.css" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
kill $pid; wait $pid 2>/dev/null || true
OpenBsc__PageCache=false "$out/openbsc" serve --data "$data" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -s -o /dev/null -f "http://127.0.0.1:$port/"; do sleep 0.1; done
wrk -t2 -c"$connections" -d3s "$page" >/dev/null
echo "== dashboard rendered on every request (page cache off)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$page" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
