#!/usr/bin/env bash
# The platform benchmarks of issue 15 (on demand, never in CI): CPU and peak memory of the whole `speechstream` process,
# JIT (framework-dependent) and Native AOT, streaming 1 h of 16 kHz mono at --speed max to a Smallest emulator in
# another process, beside the Smallest seed's Node.js client (smallest-seed-client.js) in the same run; the CPU and
# memory of `speechstream --help`; and in PowerShell 7.6.10 the wall time of Import-Module SpeechStream and of the
# first Invoke-AsrFile -Emulate -Speed max on a 7 s clip. CPU is user + system from /usr/bin/time, median of ROUNDS.
#   bash tests/SpeechStream.Benchmarks/platform/run.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-3}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v sox >/dev/null || { echo "needs sox (apt-get install sox)"; exit 2; }

dotnet build src/SpeechStream.Cli -c Release --nologo -v q >/dev/null
jit=(dotnet src/SpeechStream.Cli/bin/Release/net10.0/speechstream.dll)
rid=$(dotnet --info | sed -nE 's/^ *RID: *//p' | head -1)
dotnet publish src/SpeechStream.Cli -c Release -r "$rid" -p:PublishAot=true -o "$work/native" --nologo -v q >/dev/null
native=("$work/native/speechstream")

# 1 h of 16 kHz mono s16le: the 27.7 s sample call repeated.
clip=tests/fixtures/audio/call-mono-16k.wav
reps=$(( (3600 * 16000 * 2 + $(stat -c %s "$clip") - 45) / ($(stat -c %s "$clip") - 44) ))
sox $(for _ in $(seq "$reps"); do echo "$clip"; done) "$work/hour.wav" trim 0 3600
echo "input: $(soxi -D "$work/hour.wav") s of $(soxi -r "$work/hour.wav") Hz, $(soxi -c "$work/hour.wav") channel"

port=$((20000 + RANDOM % 20000))
"${jit[@]}" emulate --provider smallest --port "$port" --api-key bench-key >"$work/emulator.log" 2>&1 &
for _ in $(seq 100); do grep -q Emulating "$work/emulator.log" && break; sleep 0.1; done
endpoint="ws://127.0.0.1:$port/api/v1/lightning/get_text"

# measure LABEL COMMAND...: prints the median CPU s (user+sys) and the peak RSS (MB) over $rounds runs.
measure() {
  local label=$1; shift
  local cpus=() rss=()
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || { echo "$label failed:"; tail -5 "$work/err"; return 1; }
    read -r u s m <"$work/time"
    cpus+=("$(echo "$u + $s" | bc)"); rss+=("$m")
  done
  local cpu; cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")
  local mem; mem=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  printf '%-34s CPU %6.3f s (runs: %s)  peak RSS %5.1f MB\n' "$label" "$cpu" "${cpus[*]}" "$(echo "$mem / 1024" | bc -l)"
  echo "$cpu" >"$work/last-cpu"
}

# per_run LABEL N COMMAND...: CPU per run (ms) of N runs in one timed shell (the time resolution is 10 ms), and the
# peak RSS of one run.
per_run() {
  local label=$1 n=$2; shift 2
  printf -v cmd '%q ' "$@"
  /usr/bin/time -f "%U %S" -o "$work/time" bash -c "for _ in \$(seq $n); do $cmd >/dev/null; done"
  read -r u s <"$work/time"
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null
  printf '%-34s CPU %6.1f ms per run (%d runs; the loop shell included)  peak RSS %5.1f MB\n' "$label" \
    "$(echo "($u + $s) * 1000 / $n" | bc -l)" "$n" "$(echo "$(cat "$work/rss") / 1024" | bc -l)"
}

echo "== speechstream --help"
per_run "JIT --help" 20 "${jit[@]}" --help
per_run "native --help" 100 "${native[@]}" --help

echo "== 1 h of audio at --speed max to the Smallest emulator (another process)"
args=(transcribe "$work/hour.wav" --provider smallest --endpoint "$endpoint" --api-key bench-key --speed max --format csv --quiet)
measure "JIT speechstream" "${jit[@]}" "${args[@]}"; jitcpu=$(cat "$work/last-cpu")
measure "native speechstream" "${native[@]}" "${args[@]}"; nativecpu=$(cat "$work/last-cpu")
if command -v node >/dev/null; then
  (cd "$work" && npm install --silent --no-audit --no-fund ws@8 >/dev/null 2>&1) || echo "npm install ws failed: no Node comparison"
  if [ -d "$work/node_modules/ws" ]; then
    cp tests/SpeechStream.Benchmarks/platform/smallest-seed-client.js "$work/"
    SMALLEST_API_KEY=bench-key measure "Smallest seed's Node client" node "$work/smallest-seed-client.js" "$endpoint" "$work/hour.wav"
    nodecpu=$(cat "$work/last-cpu")
    printf 'native / Node: %.2fx   JIT / Node: %.2fx\n' "$(echo "$nativecpu / $nodecpu" | bc -l)" "$(echo "$jitcpu / $nodecpu" | bc -l)"
  fi
fi

if dotnet tool restore >/dev/null 2>&1; then
  echo "== PowerShell 7.6.10: Import-Module SpeechStream, first Invoke-AsrFile on a 7 s clip (wall time)"
  dotnet pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task Build >/dev/null
  manifest=$(readlink -f "$(ls out/SpeechStream/*/SpeechStream.psd1 | tail -1)")
  for _ in $(seq "$rounds"); do
    dotnet pwsh -NoProfile -NonInteractive -Command "
      \$i = Measure-Command { Import-Module '$manifest' }
      \$r = \$null; \$f = Measure-Command { \$r = Invoke-AsrFile tests/fixtures/audio/librivox-1.wav -Emulate -Speed max }
      '{0,-34} Import-Module {1,6:0} ms   first Invoke-AsrFile {2,6:0} ms   ({3} rows)' -f 'pwsh', \$i.TotalMilliseconds, \$f.TotalMilliseconds, @(\$r).Count"
  done
fi
