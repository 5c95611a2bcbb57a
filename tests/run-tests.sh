#!/usr/bin/env bash
# The project's test command (README, .ci/run). Needs only the .NET 10 SDK:
#   1. every xunit test (dotnet test; its restore also downloads Pester 5.9.1 from NuGet);
#   2. the official PowerShell 7.6.10 from the repository's tool manifest (.config/dotnet-tools.json: dotnet tool
#      restore), which builds the module (build.ps1 -Task Build) and runs the Pester suite (tests/pester) against it,
#      as a user imports it (tests/pester/Invoke-PesterSuite.ps1);
#   3. when SPEECHSTREAM_NATIVE=1 (CI sets it): the CLI published as Native AOT (dotnet publish -r <this machine's
#      RID>), and the CLI tests again against that executable (SPEECHSTREAM_CLI).
# Any failure fails the run, and so does a Pester that is missing or does not load. The last line counts everything:
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
passed=0; failed=0; skipped=0
lines=()
number() { [[ "${1:-}" =~ ^[0-9]+$ ]] && echo "$1" || echo ""; }
add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3)); }

# Runs dotnet test with the given arguments; adds its counts under the label $1. A run whose summary cannot be read
# counts as one failure.
xunit() {
  local label=$1; shift
  local log; log=$(mktemp)
  dotnet test "$@" 2>&1 | tee "$log"
  local code=${PIPESTATUS[0]}
  local summary; summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1)
  rm -f "$log"
  local p f s
  p=$(number "$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")")
  f=$(number "$(sed -nE 's/.*Failed: +([0-9]+),.*/\1/p' <<<"$summary")")
  s=$(number "$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")")
  if [ -z "$p" ] || [ -z "$f" ] || [ -z "$s" ]; then
    rc=1; add 0 1 0; lines+=("$label: no test summary (dotnet test exited $code)"); return
  fi
  [ "$code" -eq 0 ] || rc=1
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  add "$p" "$f" "$s"
  lines+=("$label: $p passed, $f failed, $s skipped")
}

xunit "xunit" SpeechStream.sln -c Release --nologo

if ! dotnet tool restore >/dev/null; then
  rc=1; add 0 1 0; lines+=("Pester: dotnet tool restore failed: PowerShell 7.6.10 is not available")
elif ! dotnet pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task Build; then
  rc=1; add 0 1 0; lines+=("Pester: build.ps1 -Task Build failed: the Pester tests did not run")
else
  counts=$(mktemp)
  dotnet pwsh -NoProfile -NonInteractive -File tests/pester/Invoke-PesterSuite.ps1 -CountsPath "$counts"
  code=$?
  read -r p f s v <"$counts" 2>/dev/null
  rm -f "$counts"
  p=$(number "${p:-}"); f=$(number "${f:-}"); s=$(number "${s:-}")
  if [ -z "$p" ] || [ -z "$f" ] || [ -z "$s" ]; then
    rc=1; add 0 1 0; lines+=("Pester: no result (Invoke-PesterSuite.ps1 exited $code; is Pester 5.9.1 restored?)")
  else
    [ "$code" -eq 0 ] || rc=1
    add "$p" "$f" "$s"
    lines+=("Pester under PowerShell $v: $p passed, $f failed, $s skipped")
  fi
fi

if [ "${SPEECHSTREAM_NATIVE:-0}" = "1" ]; then
  native=$(mktemp -d)
  if ! dotnet publish src/SpeechStream.Cli -c Release -r "$(dotnet --info | sed -nE 's/^ *RID: *//p' | head -1)" \
      -p:PublishAot=true -o "$native" --nologo; then
    rc=1; add 0 1 0; lines+=("native CLI: dotnet publish (Native AOT) failed")
  else
    SPEECHSTREAM_CLI="$native/speechstream" xunit "xunit, CLI tests against the native build" \
      tests/SpeechStream.Tests -c Release --nologo --no-build --filter "Category=Cli"
  fi
fi

printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
