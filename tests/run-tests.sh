#!/usr/bin/env bash
# The project's test command (README, .ci/run): every xunit test, then the Pester tests where pwsh exists.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test SpeechStream.sln -c Release --nologo
if command -v pwsh >/dev/null 2>&1; then
  pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task Build
  pwsh -NoProfile -NonInteractive -Command "Import-Module Pester -MinimumVersion 5.0; \$r = Invoke-Pester -Path tests/pester -PassThru -Output Detailed; exit \$r.FailedCount"
else
  echo "pwsh not found: Pester tests (tests/pester) skipped; the cmdlet surface is checked by reflection in xunit."
fi
