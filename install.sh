#!/usr/bin/env bash
# Installs the openbsc command from this clone, precompiled for this machine (docs/install.md):
#   ./install.sh                 into ~/.local/share/openbsc/VERSION, with the command linked from ~/.local/bin/openbsc
#   PREFIX=/usr/local ./install.sh   (as root) into /usr/local/share/openbsc/VERSION and /usr/local/bin/openbsc
# Framework-dependent (it runs on the .NET 10 runtime already here) and ReadyToRun: a call such as
# `openbsc score examples/customer-support.yaml --at 2026-Q3` starts without compiling the code first.
# (Without this script: `dotnet pack src/OpenBsc.Cli -c Release` and `dotnet tool install --global OpenBsc --add-source ./artifacts`.)
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

prefix=${PREFIX:-$HOME/.local}
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) rid=linux-arm64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  *) echo "error: no build for $(uname -s) $(uname -m); use the .NET tool instead (docs/install.md)" >&2; exit 2 ;;
esac
target="$prefix/share/openbsc/$version"

echo "== building openbsc $version for $rid (a minute or two the first time: restore, compile, precompile)"
dotnet publish src/OpenBsc.Cli -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -p:GenerateDocumentationFile=false -o "$target.new"
rm -rf "$target" && mv "$target.new" "$target"
mkdir -p "$prefix/bin"
ln -sfn "$target/openbsc" "$prefix/bin/openbsc"
echo "== installed: $prefix/bin/openbsc -> $target/openbsc ($("$prefix/bin/openbsc" --version))"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH: add  export PATH=\"$prefix/bin:\$PATH\"  to your shell profile" ;;
esac
