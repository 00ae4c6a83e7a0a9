#!/usr/bin/env bash
# Builds what a release ships into artifacts/ (docs/install.md):
#   OpenBsc.VERSION.nupkg                 the .NET tool package (dotnet tool install --global OpenBsc --add-source ./artifacts)
#   openbsc-VERSION-RID[.exe]             one self-contained, precompiled (ReadyToRun) file per platform: no .NET needed
#   SHA256SUMS                            the SHA-256 of each of them (sha256sum -c SHA256SUMS)
# RIDS="linux-x64" ./release.sh builds only the platforms named.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
rids=${RIDS:-linux-x64 linux-arm64 win-x64 osx-arm64}
mkdir -p artifacts
rm -f artifacts/SHA256SUMS

echo "== OpenBsc $version: the .NET tool package"
dotnet pack src/OpenBsc.Cli -c Release
shipped=("OpenBsc.$version.nupkg")

failed=()
for rid in $rids; do
  echo "== openbsc $version for $rid (self-contained, single file)"
  out=$(mktemp -d)
  if dotnet publish src/OpenBsc.Cli -c Release -r "$rid" --self-contained \
      -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:PublishReadyToRun=true \
      -p:DebugType=none -p:GenerateDocumentationFile=false -o "$out"; then
    ext=""; [[ $rid == win-* ]] && ext=".exe"
    cp "$out/openbsc$ext" "artifacts/openbsc-$version-$rid$ext"
    shipped+=("openbsc-$version-$rid$ext")
  else
    failed+=("$rid")
  fi
  rm -rf "$out"
done

(cd artifacts && sha256sum "${shipped[@]}" > SHA256SUMS && cat SHA256SUMS)
if [ ${#failed[@]} -gt 0 ]; then
  echo "error: could not build for: ${failed[*]} (see above)" >&2
  exit 1
fi
