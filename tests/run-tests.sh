#!/usr/bin/env bash
# The project's test command (README, .ci/run): every xunit test, then the Pester tests where pwsh exists.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test SpeechStream.sln -c Release --nologo 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# One plain closing line: "N passed, N failed, N skipped".
summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1)
passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
rm -f "$log"
if [ "$rc" -eq 0 ] && command -v pwsh >/dev/null 2>&1; then
  pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task Build || rc=1
  pwsh -NoProfile -NonInteractive -Command "Import-Module Pester -MinimumVersion 5.0; \$r = Invoke-Pester -Path tests/pester -PassThru -Output Detailed; exit \$r.FailedCount" || rc=1
elif ! command -v pwsh >/dev/null 2>&1; then
  echo "pwsh not found: Pester tests (tests/pester) skipped; the cmdlet surface is checked by reflection in xunit."
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$rc"
