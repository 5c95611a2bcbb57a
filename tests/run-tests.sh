#!/usr/bin/env bash
# The project's test command (README, .ci/run): every xunit test, then the Pester suite (tests/pester) under each
# PowerShell found, against the module folder build.ps1 makes, as a user imports it. Which PowerShells: the
# executables listed in SPEECHSTREAM_PWSH (colon-separated; .ci/run sets it to 7.4 and 7.6), else `pwsh` on PATH.
# Any failure fails the run; the last line counts xunit and Pester together: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
passed=0; failed=0; skipped=0
add() { passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0})); skipped=$((skipped + ${3:-0})); }

log=$(mktemp)
dotnet test SpeechStream.sln -c Release --nologo 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1)
x_passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")
x_failed=$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$summary")
x_skipped=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
add "${x_passed:-0}" "${x_failed:-0}" "${x_skipped:-0}"
rm -f "$log"
lines=("xunit: ${x_passed:-0} passed, ${x_failed:-0} failed, ${x_skipped:-0} skipped")

shells=()
if [ -n "${SPEECHSTREAM_PWSH:-}" ]; then
  IFS=':' read -r -a shells <<<"$SPEECHSTREAM_PWSH"
elif command -v pwsh >/dev/null 2>&1; then
  shells=("$(command -v pwsh)")
fi

if [ ${#shells[@]} -eq 0 ]; then
  echo "pwsh not found: the Pester tests (tests/pester) did not run; install PowerShell 7.4+ to run them."
  lines+=("Pester: not run (no pwsh)")
elif ! "${shells[0]}" -NoProfile -NonInteractive -File ./build.ps1 -Task Build; then
  echo "build.ps1 -Task Build failed: the Pester tests did not run."
  rc=1; add 0 1 0
  lines+=("Pester: the module did not build")
else
  for pwsh in "${shells[@]}"; do
    counts=$(mktemp)
    "$pwsh" -NoProfile -NonInteractive -Command "
      Import-Module Pester -MinimumVersion 5.0
      \$c = New-PesterConfiguration
      \$c.Run.Path = 'tests/pester'; \$c.Run.PassThru = \$true; \$c.Output.Verbosity = 'Detailed'
      \$r = Invoke-Pester -Configuration \$c
      \"\$(\$r.PassedCount) \$(\$r.FailedCount) \$(\$r.SkippedCount + \$r.NotRunCount) \$(\$PSVersionTable.PSVersion)\" | Set-Content '$counts'
      exit \$r.FailedCount"
    code=$?
    read -r p f s v <"$counts" 2>/dev/null || { p=0; f=1; s=0; v="$pwsh"; }
    rm -f "$counts"
    [ "$code" -eq 0 ] || rc=1
    add "$p" "$f" "$s"
    lines+=("Pester under PowerShell $v: $p passed, $f failed, $s skipped")
  done
fi

printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
