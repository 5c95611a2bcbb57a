#!/usr/bin/env bash
# Runs the same `speechstream` command lines through the JIT build (dotnet speechstream.dll) and the native one and
# compares what they print, with the per-run values (session ids, arrival times, latencies, request ids) masked.
# Usage: tests/native-compare.sh [NATIVE] [JIT_DLL]
#   NATIVE  default src/SpeechStream.Cli/bin/Release/net10.0/linux-x64/publish/speechstream
#           (dotnet publish src/SpeechStream.Cli -c Release -r linux-x64)
#   JIT_DLL default src/SpeechStream.Cli/bin/Release/net10.0/speechstream.dll (dotnet build -c Release)
set -uo pipefail
cd "$(dirname "$0")/.."
native=${1:-src/SpeechStream.Cli/bin/Release/net10.0/linux-x64/publish/speechstream}
jit=${2:-src/SpeechStream.Cli/bin/Release/net10.0/speechstream.dll}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wav=tests/fixtures/audio/call-mono-16k.wav
fails=0; n=0

# Masks what differs from run to run: CSV columns SessionId (4), ReceivedAt (14), Latency (15) (a null field is empty
# and unquoted, as Export-Csv writes it); the same JSON fields.
mask() {
  sed -E -e 's/"sessionId":"[^"]*"/"sessionId":"S"/g; s/"receivedAt":"[^"]*"/"receivedAt":"T"/g; s/"latency":[0-9.eE+-]+/"latency":L/g' \
         -e 's/^((("[^"]*")?,){3})"[^"]*"((,("[^"]*")?){9}),"[^"]*",("[^"]*")?/\1"S"\4,"T","L"/' \
         -e 's/[0-9]+(\.[0-9]+)? s elapsed/N s elapsed/g; s/in [0-9.]+ s/in N s/g' \
         -e 's/real-time factor [0-9.]+, [0-9.]+x real time/real-time factor R/g' | { if [ "${SORTED:-0}" = 1 ]; then sort; else cat; fi; }
}

run() { # name, args...
  local name=$1; shift
  n=$((n + 1))
  "$native" "$@" >"$work/$name.native.out" 2>"$work/$name.native.err" </dev/null; local rn=$?
  dotnet "$jit" "$@" >"$work/$name.jit.out" 2>"$work/$name.jit.err" </dev/null; local rj=$?
  local same=1
  [ "$rn" -eq "$rj" ] || same=0
  cmp -s <(mask <"$work/$name.native.out") <(mask <"$work/$name.jit.out") || same=0
  cmp -s <(mask <"$work/$name.native.err") <(mask <"$work/$name.jit.err") || same=0
  if [ $same -eq 1 ]; then
    echo "same  exit $rn  $(wc -l <"$work/$name.native.out") lines  $name"
  else
    fails=$((fails + 1))
    echo "DIFF  exit native $rn, jit $rj  $name"
    diff <(mask <"$work/$name.native.out") <(mask <"$work/$name.jit.out") | head -5
    diff <(mask <"$work/$name.native.err") <(mask <"$work/$name.jit.err") | head -5
  fi
}

run help --help
run transcribe-help transcribe --help
run providers providers
run profiles emulate --list-profiles
for f in csv jsonl text srt; do
  run "voxist-$f" transcribe "$wav" --provider voxist --emulate --format "$f" --speed max
done
run voxist-token transcribe "$wav" --provider voxist --emulate --format jsonl --speed max --auth token
for p in iapp smallest voxnexus; do
  for f in csv jsonl; do run "$p-$f" transcribe "$wav" --provider "$p" --emulate --format "$f" --speed max; done
done
for f in csv jsonl; do
  run "speechall-$f" transcribe "$wav" --provider speechall --model deepgram.nova-2 --emulate --format "$f" --speed max
done
# Several providers: rows interleave as they arrive, so the two runs are compared as sorted sets.
SORTED=1 run multi transcribe "$wav" --provider voxist,smallest,voxnexus --emulate --format jsonl --speed max
run bad-usage transcribe "$wav" --format xml
run bad-provider transcribe "$wav" --provider voxis --emulate

# speak: the WAV files must be identical.
n=$((n + 1))
"$native" speak "hello" --out "$work/native.wav" --emulate >/dev/null 2>&1; rn=$?
dotnet "$jit" speak "hello" --out "$work/jit.wav" --emulate >/dev/null 2>&1; rj=$?
if [ "$rn" -eq 0 ] && [ "$rj" -eq 0 ] && cmp -s "$work/native.wav" "$work/jit.wav"; then echo "same  exit 0  $(stat -c %s "$work/native.wav") bytes  speak"
else fails=$((fails + 1)); echo "DIFF  speak (exit native $rn, jit $rj)"; fi

# emulate: each build's emulator serves the other build's client, in another process.
for pair in "native:jit" "jit:native"; do
  server=${pair%%:*}; client=${pair##*:}
  for p in voxist smallest; do
    n=$((n + 1))
    port=$(( 20000 + RANDOM % 20000 ))
    if [ "$server" = native ]; then "$native" emulate --provider "$p" --port "$port" --transcript "${wav%.wav}.json" >"$work/emu.out" 2>&1 &
    else dotnet "$jit" emulate --provider "$p" --port "$port" --transcript "${wav%.wav}.json" >"$work/emu.out" 2>&1 & fi
    epid=$!
    for _ in $(seq 50); do grep -q "Emulating" "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
    endpoint=$(sed -nE 's/^Emulating [A-Za-z]+ at ([^ ]+) .*/\1/p' "$work/emu.out")
    if [ "$client" = native ]; then cmd=("$native"); else cmd=(dotnet "$jit"); fi
    "${cmd[@]}" transcribe "$wav" --provider "$p" --endpoint "$endpoint" --api-key k --format csv --speed max >"$work/ext.out" 2>"$work/ext.err"; rc=$?
    kill -TERM "$epid"; wait "$epid"; erc=$? # SIGINT: ignored by a background job of a script
    rows=$(($(wc -l <"$work/ext.out") - 1))
    if [ "$rc" -eq 0 ] && { [ "$erc" -eq 0 ] || [ "$erc" -eq 143 ]; } && [ "$rows" -gt 0 ]; then echo "ok    $server emulator ($p, exit $erc) served $client client: $rows rows"
    else fails=$((fails + 1)); echo "FAIL  $server emulator ($p, exit $erc) / $client client exit $rc"; cat "$work/ext.err" "$work/emu.out" | head -5; fi
  done
done
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
