#!/usr/bin/env bash
# The README's command 1 on a fresh clone with an empty NuGet cache (issue 19; bench/README.md "The first run"):
# wall time from `dotnet run --project src/OpenBsc.Cli -- serve` to the first page (/login answering 200), and how
# much was restored. The clone is of this repository's HEAD; NuGet's package folder and HTTP cache are new, empty
# folders, so every package comes from the feed. The restore is timed on its own first (`dotnet restore` of the
# CLI project, what `dotnet run` does first), then `dotnet run` builds and starts. Usage: bench/first-run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-5190}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -- -"$pid" 2>/dev/null; rm -rf "$work"' EXIT
git clone -q . "$work/clone"
export NUGET_PACKAGES="$work/packages" NUGET_HTTP_CACHE_PATH="$work/http-cache" DOTNET_CLI_TELEMETRY_OPTOUT=1
echo "== first run from a fresh clone, empty NuGet cache, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
start=$(date +%s%N)
cd "$work/clone"
dotnet restore src/OpenBsc.Cli >"$work/restore.log" 2>&1 || { tail -20 "$work/restore.log" >&2; exit 1; }
restored=$(( ($(date +%s%N) - start) / 1000000 ))
setsid dotnet run --project src/OpenBsc.Cli -- serve --data "$work/data" --urls "http://127.0.0.1:$port" >"$work/out.log" 2>&1 &
pid=$!
until curl -s -o /dev/null -f "http://127.0.0.1:$port/login"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: serve stopped before answering:" >&2
    tail -20 "$work/out.log" >&2
    exit 1
  fi
  sleep 0.5
done
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
seconds() { printf '%d.%01d s' $(($1 / 1000)) $((($1 % 1000) / 100)); }
printf 'first page after %s (target <= 90 s): restore %s (%s in %s packages), build and start %s\n' "$(seconds "$elapsed")" "$(seconds "$restored")" \
  "$(du -sh "$NUGET_PACKAGES" | cut -f1)" "$(find "$NUGET_PACKAGES" -mindepth 1 -maxdepth 1 -type d | wc -l)" "$(seconds $((elapsed - restored)))"
grep -m1 -o "one-time password" "$work/out.log" >/dev/null && echo "the administrator's one-time password was printed"
