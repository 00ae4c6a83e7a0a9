#!/usr/bin/env bash
# Wall time of one CLI call (issue 19): `openbsc score examples/customer-support.yaml --at 2026-Q3`, median of 11,
# for each way of running openbsc, in one run (bench/README.md "The installed command"):
#   dotnet run   the README's old way (a build check on every call)
#   tool         the .NET tool (dotnet pack + dotnet tool install; framework-dependent, JIT)
#   install.sh   framework-dependent, ReadyToRun (what ./install.sh installs)
# Usage: bench/cli-start.sh [TOOL_PATH_DIR R2R_DIR]   (both are built into a temporary folder when not given)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
tools=${1:-}
r2r=${2:-}
if [ -z "$tools" ]; then
  dotnet pack src/OpenBsc.Cli -c Release -o "$work/feed" >/dev/null
  printf '<configuration><packageSources><clear /><add key="local" value="%s" /></packageSources></configuration>' "$work/feed" >"$work/nuget.config"
  dotnet tool install OpenBsc --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config" >/dev/null
  tools="$work/tools"
fi
if [ -z "$r2r" ]; then
  dotnet publish src/OpenBsc.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/r2r" >/dev/null
  r2r="$work/r2r"
fi

median() { # label command...
  local times=()
  "${@:2}" >/dev/null   # once, not counted (file cache)
  for _ in $(seq 1 11); do
    local start=$(date +%s%N)
    "${@:2}" >/dev/null
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  local m
  m=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 6p)
  printf '%-12s median %5d ms  (%s)\n' "$1" "$m" "${times[*]}"
}
args=(score examples/customer-support.yaml --at 2026-Q3)
echo "== openbsc ${args[*]}: wall time, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
median "dotnet run" dotnet run --project src/OpenBsc.Cli -c Release -- "${args[@]}"
median "tool" "$tools/openbsc" "${args[@]}"
median "install.sh" "$r2r/openbsc" "${args[@]}"
