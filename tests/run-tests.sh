#!/usr/bin/env bash
# The project's test command (README, .ci/run). Needs only the .NET 10 SDK:
#   1. every xunit test (dotnet test; its restore also downloads Pester 5.9.1 from NuGet);
#   2. the official PowerShell 7.6.10 from the repository's tool manifest (.config/dotnet-tools.json: dotnet tool
#      restore), which builds the module (build.ps1 -Task Build) and runs the Pester suite (tests/pester) against it,
#      as a user imports it (tests/pester/Invoke-PesterSuite.ps1);
#   3. when SPEECHSTREAM_NATIVE=1 (CI sets it): the CLI packed as RID-specific tool packages and installed with
#      `dotnet tool install` (Native AOT for this machine's RID), the main job and the CLI tests again against that
#      executable (SPEECHSTREAM_CLI; the classes in tests/native-cli-tests.filter), and, as root, the container image's
#      filesystem (tests/container/rootfs-test.sh).
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

# check LABEL COMMAND...: one counted check (a command that must succeed).
check() {
  local label=$1; shift
  if "$@"; then add 1 0 0; lines+=("$label: passed"); else rc=1; add 0 1 0; lines+=("$label: FAILED"); fi
}

# The main job through an executable: exit 0, and the CSV's text spells the sample's sidecar transcript.
main_job() {
  local out; out=$(mktemp)
  "$1" transcribe tests/fixtures/audio/call-mono-16k.wav --provider voxist --emulate --format csv --speed max >"$out" || return 1
  python3 - "$out" tests/fixtures/audio/call-mono-16k.json <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
text = " ".join(r["Text"] for r in sorted(rows, key=lambda r: int(r["Segment"])))
want = json.load(open(sys.argv[2]))["text"]
sys.exit(0 if text.split() == want.split() else f"main job: got {text!r}, expected {want!r}")
PY
}

if [ "${SPEECHSTREAM_NATIVE:-0}" = "1" ]; then
  # The tool as users install it: the pointer package, the framework-dependent fallback and this machine's native
  # package (Native AOT), installed by `dotnet tool install` from them (a private package folder, so no cached copy
  # of an older build is taken), then the main job and the CLI tests against the executable it installed.
  rid=$(dotnet --info | sed -nE 's/^ *RID: *//p' | head -1)
  tool=$(mktemp -d)
  if dotnet pack src/SpeechStream.Cli -c Release -o "$tool/packages" --nologo -v q \
      && dotnet pack src/SpeechStream.Cli -c Release -r any -o "$tool/packages" --nologo -v q \
      && dotnet pack src/SpeechStream.Cli -c Release -r "$rid" -o "$tool/packages" --nologo -v q \
      && NUGET_PACKAGES="$tool/nuget" dotnet tool install SpeechStream.Cli --tool-path "$tool/bin" \
           --add-source "$tool/packages" --ignore-failed-sources; then
    native=$(readlink -f "$tool/bin/speechstream")
    check "native CLI: the tool installed is the $rid package's native executable" \
      bash -c "[[ '$native' == *speechstream.cli.$rid/* ]] && head -c 4 '$native' | grep -q ELF"
    check "native CLI: the main job" main_job "$native"
    SPEECHSTREAM_CLI="$native" xunit "xunit, CLI tests against the native build" \
      tests/SpeechStream.Tests -c Release --nologo --no-build --filter "$(cat tests/native-cli-tests.filter)"
    # The container image's filesystem, assembled from Debian's packages, with the main job run in it (root only).
    if [ "$(id -u)" = 0 ]; then
      check "container image filesystem (tests/container/rootfs-test.sh)" bash tests/container/rootfs-test.sh "$native"
    else
      lines+=("container image filesystem: not run (needs root for mmdebstrap and chroot)")
    fi
  else
    rc=1; add 0 1 0; lines+=("native CLI: dotnet pack or dotnet tool install (Native AOT, $rid) failed")
  fi
  rm -rf "$tool"
fi

printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
