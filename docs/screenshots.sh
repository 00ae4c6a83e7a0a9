#!/usr/bin/env bash
# Regenerates the pictures of the README and docs/ui.md from the demo (docs/screenshots/*.png), with Debian's
# Chromium driven by the browser tests (tests/OpenBsc.BrowserTests/DocScreenshotTests.cs).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/OpenBsc.BrowserTests -c Release -v q -nologo
OPENBSC_DOCS_SCREENSHOTS="$PWD/docs/screenshots" dotnet test tests/OpenBsc.BrowserTests -c Release --no-build --filter "FullyQualifiedName~DocScreenshotTests|FullyQualifiedName~ReportingCycleJourneyTests"
ls -l docs/screenshots
