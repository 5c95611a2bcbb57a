#!/usr/bin/env bash
# What the container image holds, tested without a container runtime.
#
#   bash tests/container/rootfs-test.sh [path/to/native/speechstream]
#
# The Dockerfile's final image is .NET's runtime-deps:10.0-noble-chiseled (no shell, no package manager) plus the
# Native AOT `speechstream`. Containers cannot run on every machine that builds this project, so this script:
#   1. checks the Dockerfile says what the README claims: final FROM runtime-deps chiseled, a numeric non-root USER,
#      ENTRYPOINT ["speechstream"], and where the binary is copied;
#   2. assembles the chiseled base's filesystem with mmdebstrap from Debian packages: the packages of its chisel slices
#      (base-files, ca-certificates, libc6, libgcc-s1, libssl3, libstdc++6; only the bundle from ca-certificates and
#      only cert.pem from openssl, as the slices take them), its passwd/group with `app` (1654) and /home/app;
#   3. puts the binary where the Dockerfile's COPY puts it, and the sample call and its sidecar transcript in /data;
#   4. checks the binary's NEEDED libraries and interpreter (readelf) resolve inside the root, with the root's own
#      ld.so --list (what ldd does);
#   5. runs the main job there with chroot as UID 1654, with the image's environment and PATH lookup of the entrypoint,
#      and checks exit 0 and that the CSV rows spell the sidecar's text; then runs it once more through a response
#      file with --shard 1/1 (SHA-256 through the root's libcrypto.so.3) and --output-dir in /home/app, as the
#      README's Kubernetes Job does.
# Without an argument it publishes the CLI first (dotnet publish -r linux-x64 -p:PublishAot=true). Everything it
# makes is under one folder in /tmp, removed at the end (SPEECHSTREAM_ROOTFS_KEEP=1 keeps it). Needs root (mmdebstrap
# in root mode, chroot, mounts) and Debian's package archive (apt sources of the host). Its last line counts checks:
# `rootfs: N passed, N failed`.
# SPEECHSTREAM_ROOTFS_SUITE picks the Debian suite (default bookworm; the host's apt sources when they name it).
# SPEECHSTREAM_ROOTFS_ALLOW_NON_AOT=1 accepts a binary that is not Native AOT (development only).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dockerfile=$repo/Dockerfile
wav=$repo/tests/fixtures/audio/call-mono-16k.wav
sidecar=$repo/tests/fixtures/audio/call-mono-16k.json
# The environment the image's process gets: the base's ENV (dotnet/dotnet-docker runtime-deps noble-chiseled), then
# the Dockerfile's own ENV lines (read below), PATH as container runtimes set it, HOME from the image's passwd.
base_env=(APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true)
path_env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok:   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
die() { echo "rootfs-test: $*" >&2; echo "rootfs: $passed passed, $((failed + 1)) failed"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, chroot, mount)"

# ---- tools: mmdebstrap, readelf (binutils), python3 (CSV and JSON), installed from Debian if missing.
need=()
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "rootfs-test: installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/speechstream-rootfs.XXXXXX)
root=$work/root
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  if [ "${SPEECHSTREAM_ROOTFS_KEEP:-0}" = 1 ]; then echo "rootfs-test: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---- 1. The Dockerfile: its final stage (after the last FROM), read as Docker reads a simple file.
[ -f "$dockerfile" ] || die "no Dockerfile at $dockerfile"
# Join continuation lines, drop comments and blank lines.
flat=$(sed -e 's/\r$//' -e '/^[[:space:]]*#/d' "$dockerfile" | sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' | sed -e '/^[[:space:]]*$/d')
final=$(printf '%s\n' "$flat" | awk 'toupper($1) == "FROM" { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }')
from=$(printf '%s\n' "$final" | awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; exit } }')
check "Dockerfile: final FROM is runtime-deps chiseled ($from)" \
  test "$from" = mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
user=$(printf '%s\n' "$final" | awk 'toupper($1) == "USER" { u = $2 } END { print u }')
check "Dockerfile: final USER is numeric and not root ($user)" \
  bash -c '[[ $1 =~ ^[0-9]+(:[0-9]+)?$ ]] && [ "${1%%:*}" != 0 ]' _ "$user"
entrypoint=$(printf '%s\n' "$final" | awk 'toupper($1) == "ENTRYPOINT" { $1 = ""; sub(/^ /, ""); e = $0 } END { print e }')
check "Dockerfile: ENTRYPOINT [\"speechstream\"] in exec form ($entrypoint)" \
  test "$entrypoint" = '["speechstream"]'
dest=$(printf '%s\n' "$final" | awk 'toupper($1) == "COPY" && $2 ~ /^--from=/ && $3 ~ /\/speechstream$/ { print $4 }' | tail -n 1)
check "Dockerfile: the binary is copied to a directory on PATH ($dest)" \
  bash -c 'case "$1" in /usr/local/bin/speechstream|/usr/bin/speechstream|/usr/local/sbin/speechstream|/bin/speechstream) true ;; *) false ;; esac' _ "$dest"
check "Dockerfile: the build stage publishes Native AOT" \
  bash -c 'printf "%s\n" "$1" | grep -q "dotnet publish src/SpeechStream.Cli .*-p:PublishAot=true"' _ "$flat"
check "Dockerfile: the final stage runs nothing (no RUN: the base has no shell)" \
  bash -c '! printf "%s\n" "$1" | grep -qi "^RUN[[:space:]]"' _ "$final"
# Every COPY source of the build context exists and is not left out by .dockerignore's allow-list.
copy_ok=true
while read -r src; do
  [ -e "$repo/$src" ] || { echo "  COPY source $src does not exist" >&2; copy_ok=false; }
  grep -qxF "!${src%/}/" "$repo/.dockerignore" 2>/dev/null || grep -qxF "!$src" "$repo/.dockerignore" 2>/dev/null \
    || grep -qxF "!$(dirname "$src")/" "$repo/.dockerignore" 2>/dev/null || { echo "  COPY source $src is not in .dockerignore's allow-list" >&2; copy_ok=false; }
done < <(printf '%s\n' "$flat" | awk 'toupper($1) == "COPY" && $2 !~ /^--from=/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }')
check "Dockerfile: every COPY source exists and passes .dockerignore" $copy_ok
image_env=()
while read -r line; do
  for kv in $line; do [[ $kv == *=* ]] && image_env+=("$kv"); done
done < <(printf '%s\n' "$final" | awk 'toupper($1) == "ENV" { $1 = ""; print }')
[ -n "$dest" ] || die "cannot tell from the Dockerfile where the binary goes"

# ---- 2. The native binary: the one given, or published now.
binary=${1:-}
if [ -z "$binary" ]; then
  echo "rootfs-test: publishing the CLI (Native AOT, linux-x64) into $work/publish"
  t0=$(date +%s)
  dotnet publish "$repo/src/SpeechStream.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$work/publish" \
    > "$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; die "dotnet publish failed"; }
  echo "rootfs-test: published in $(($(date +%s) - t0)) s"
  binary=$work/publish/speechstream
fi
[ -x "$binary" ] || die "no executable at $binary"
if readelf -S -W "$binary" 2>/dev/null | grep -q '__managedcode'; then
  ok "binary is Native AOT ($binary)"
elif [ "${SPEECHSTREAM_ROOTFS_ALLOW_NON_AOT:-0}" = 1 ]; then
  echo "note: $binary is not Native AOT; accepted because SPEECHSTREAM_ROOTFS_ALLOW_NON_AOT=1 (development only)"
else
  bad "binary is Native AOT ($binary has no __managedcode section)"
fi

# ---- 3. The chiseled base's filesystem, from Debian packages.
# The libraries are installed by apt's resolution (their only extra is gcc-<N>-base, documentation); base-files,
# ca-certificates and openssl are downloaded without their dependencies (base-files would bring awk, ca-certificates
# openssl, debconf and perl) and cut as the chisel slices cut them: ca-certificates_data is the bundle that its
# mutate script concatenates from /usr/share/ca-certificates/mozilla, openssl_data is /usr/lib/ssl/cert.pem.
suite=${SPEECHSTREAM_ROOTFS_SUITE:-bookworm}
case "$suite" in bookworm) libssl=libssl3 ;; *) libssl=libssl3t64 ;; esac # the 64-bit time_t rename, trixie on
sources=-
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  if [ -s "$f" ] && grep -q "$suite" "$f"; then sources=$f; break; fi
done
[ "$sources" != - ] || sources=http://deb.debian.org/debian
# shellcheck disable=SC2016 # the hook's $1 and variables are the hook's, expanded when mmdebstrap runs it
slice_hook='set -e
d=$(mktemp -d)
(cd "$d" && APT_CONFIG="$MMDEBSTRAP_APT_CONFIG" apt-get download -q base-files ca-certificates openssl >/dev/null)
dpkg-deb --fsys-tarfile "$d"/base-files_*.deb | tar -x --keep-directory-symlink -C "$1"
mkdir "$d/ca"; dpkg-deb -x "$d"/ca-certificates_*.deb "$d/ca"
mkdir -p "$1/etc/ssl/certs" "$1/usr/share/doc/ca-certificates"
find "$d/ca/usr/share/ca-certificates/mozilla" -type f -name "*.crt" -print0 | LC_ALL=C sort -z | xargs -0 cat > "$1/etc/ssl/certs/ca-certificates.crt"
cp "$d/ca/usr/share/doc/ca-certificates/copyright" "$1/usr/share/doc/ca-certificates/"
dpkg-deb --fsys-tarfile "$d"/openssl_*.deb | tar -x --keep-directory-symlink -C "$1" ./usr/lib/ssl/cert.pem
rm -rf "$d"'
mmdebstrap_cmd=(mmdebstrap --variant=extract --mode=root --format=directory --quiet
  --aptopt='Acquire::Check-Valid-Until "false"'
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  --include=libc6,libgcc-s1,$libssl,libstdc++6
  --extract-hook="$slice_hook"
  "$suite" "$root" "$sources")
echo "rootfs-test: mmdebstrap --variant=extract --include=libc6,libgcc-s1,$libssl,libstdc++6 (+ base-files, ca-certificates bundle, openssl cert.pem) $suite $root $sources"
t0=$(date +%s%N)
"${mmdebstrap_cmd[@]}" > "$work/mmdebstrap.log" 2>&1 || { tail -n 30 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
ms=$((($(date +%s%N) - t0) / 1000000))
echo "rootfs-test: mmdebstrap took $((ms / 1000)).$(printf '%03d' $((ms % 1000))) s"
# No package manager in the image: drop what mmdebstrap left for apt and dpkg.
rm -rf "$root/etc/apt" "$root/var/lib/apt" "$root/var/cache/apt" "$root/var/lib/dpkg" "$root/etc/dpkg"
# The base's users: root and app (1654), app's home, as dotnet-docker's runtime-deps chiseled Dockerfile makes them.
printf 'root:x:0:0:root:/root:/bin/bash\napp:x:1654:1654::/home/app:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' > "$root/etc/group"
install -d -m 0755 -o 1654 -g 1654 "$root/home/app"
# The image's files: the binary where the Dockerfile puts it; the sample call mounted read-only at /data.
install -D -m 0755 "$binary" "$root$dest"
install -d -m 0755 "$root/data"
install -m 0644 "$wav" "$sidecar" "$root/data/"
printf '"/data/call-mono-16k.wav"\n--shard 1/1\n' > "$root/data/args.rsp"

shells=()
for s in bin/sh bin/bash bin/dash bin/busybox usr/bin/sh usr/bin/bash usr/bin/dash usr/bin/busybox; do
  [ -e "$root/$s" ] && shells+=("$s")
done
check "root has no shell (as the chiseled base)${shells:+: found ${shells[*]}}" test ${#shells[@]} -eq 0
ncerts=$(grep -c 'BEGIN CERTIFICATE' "$root/etc/ssl/certs/ca-certificates.crt" 2>/dev/null || echo 0)
check "CA bundle /etc/ssl/certs/ca-certificates.crt ($ncerts certificates), /usr/lib/ssl/cert.pem links to it" \
  bash -c '[ "$1" -gt 50 ] && [ "$(readlink "$2/usr/lib/ssl/cert.pem")" = /etc/ssl/certs/ca-certificates.crt ]' _ "$ncerts" "$root"
echo "rootfs-test: root is $(du -sh "$root" | cut -f1); programs in it: $(cd "$root" && find usr/bin usr/sbin usr/local/bin -type f 2>/dev/null | tr '\n' ' ')"

# What a container runtime mounts: /proc, a read-only /sys, a small /dev with the OCI default devices.
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys" && mounted+=("$root/sys")
mount -t tmpfs -o mode=755,nosuid,size=65536k tmpfs "$root/dev" && mounted+=("$root/dev")
while read -r name major minor; do mknod -m 666 "$root/dev/$name" c "$major" "$minor"; done <<'DEVICES'
null 1 3
zero 1 5
full 1 7
random 1 8
urandom 1 9
tty 5 0
DEVICES
ln -s /proc/self/fd "$root/dev/fd"; ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
mkdir "$root/dev/pts" "$root/dev/shm"; chmod 1777 "$root/dev/shm"

# ---- 4. Dynamic dependencies: NEEDED and the interpreter, resolved by the root's own loader.
interp=$(readelf -l -W "$binary" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
needed=$(readelf -d -W "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
echo "rootfs-test: interpreter $interp; NEEDED: $needed"
in_root() { # resolve a path inside the root, following symlinks as the root's kernel view would
  local p=$1 n=0 t
  while [ -L "$root$p" ] && [ $n -lt 40 ]; do
    t=$(readlink "$root$p"); n=$((n + 1))
    case "$t" in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
    p=$(realpath -m -s "$p")
    # a symlinked directory on the way: resolve the parent too
    local parent; parent=$(dirname "$p")
    [ -L "$root$parent" ] && p=$(in_root "$parent")/$(basename "$p")
  done
  [ -e "$root$p" ] && echo "$p"
}
interp_in_root=$(in_root "$interp" || true)
check "interpreter $interp is in the root (${interp_in_root:-missing})" test -n "$interp_in_root"
resolve=$(chroot "$root" "$interp" --list "$dest" 2>&1) || true
echo "$resolve" | sed 's/^/  /'
check "every NEEDED library resolves in the root (ld.so --list)" \
  bash -c '! printf "%s\n" "$1" | grep -q "not found" && for n in $2; do printf "%s\n" "$1" | grep -qF -e "$n => /" -e "/$n (" || exit 1; done' _ "$resolve" "$needed"
# Loaded at run time (dlopen), so not in NEEDED: OpenSSL, for TLS, hashing and random numbers (a WebSocket's masks:
# the emulated main job aborts with "No usable version of libssl was found" without them).
for lib in libssl.so.3 libcrypto.so.3; do
  path=$(cd "$root" && find usr/lib lib -name "$lib" 2>/dev/null | head -n 1)
  if [ -n "$path" ] && ! chroot "$root" "$interp" --list "/$path" 2>&1 | grep -q "not found"; then
    ok "$lib (loaded at run time) is in the root with its dependencies: /$path"
  else
    bad "$lib (loaded at run time) is in the root with its dependencies"
  fi
done

# ---- 5. The main job, as the image runs it: UID 1654, the image's environment, the entrypoint found on PATH.
run_env=(env -i "$path_env" HOME=/home/app "${base_env[@]}" "${image_env[@]}")
expected=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["text"].split()))' "$sidecar")
csv_text() { # the Text of the final rows, in order, on one line; "" if the CSV is not the expected shape
  python3 - "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
if not rows or any(r.get("Source") != sys.argv[2] for r in rows):
    print(""); sys.exit(0)
print(" ".join(" ".join(r["Text"].split()) for r in rows if r.get("IsFinal") == "True"))
PY
}
echo "rootfs-test: chroot --userspec=1654:1654 ROOT speechstream transcribe /data/call-mono-16k.wav --provider voxist --emulate --format csv --speed max"
rc=0
"${run_env[@]}" chroot --userspec=1654:1654 "$root" speechstream transcribe /data/call-mono-16k.wav \
  --provider voxist --emulate --format csv --speed max > "$work/main.csv" 2> "$work/main.err" || rc=$?
sed 's/^/  stderr: /' "$work/main.err"
check "main job exits 0 as UID 1654 in the root (exit $rc)" test "$rc" = 0
got=$(csv_text "$work/main.csv" /data/call-mono-16k.wav)
echo "  $(grep -c "" "$work/main.csv") line(s) of CSV; final rows' text: ${got:0:100}…"
check "main job: the CSV rows spell the sidecar's text" test "$got" = "$expected"

echo "rootfs-test: chroot --userspec=1654:1654 ROOT speechstream transcribe @/data/args.rsp --provider voxist --emulate --format csv --speed max --output-dir /home/app/out"
rc=0
"${run_env[@]}" chroot --userspec=1654:1654 "$root" speechstream transcribe @/data/args.rsp \
  --provider voxist --emulate --format csv --speed max --output-dir /home/app/out -q > /dev/null 2> "$work/shard.err" || rc=$?
sed 's/^/  stderr: /' "$work/shard.err"
check "response file + --shard 1/1 (SHA-256 via the root's OpenSSL) + --output-dir exits 0 (exit $rc)" test "$rc" = 0
out=$root/home/app/out/call-mono-16k.csv
check "the output file is owned by UID 1654 and spells the sidecar's text" \
  bash -c '[ -f "$1" ] && [ "$(stat -c %u "$1")" = 1654 ] && [ "$2" = "$3" ]' _ "$out" "$( [ -f "$out" ] && csv_text "$out" /data/call-mono-16k.wav)" "$expected"

# Whether the binary needs the invariant-globalization setting, which the chiseled base provides (no ICU there).
rc=$({ env -i "$path_env" HOME=/home/app chroot --userspec=1654:1654 "$root" speechstream --version > /dev/null 2> "$work/icu.err"
  echo $?; } 2> /dev/null)
if [ "$rc" = 0 ]; then
  echo "note: without DOTNET_SYSTEM_GLOBALIZATION_INVARIANT the binary still starts (invariant by its own build, or ICU not needed)"
else
  echo "note: without DOTNET_SYSTEM_GLOBALIZATION_INVARIANT the binary fails (exit $rc: $(tr "\n" " " < "$work/icu.err" | cut -c 1-160)…); the image sets it"
fi

echo "rootfs: $passed passed, $failed failed"
[ "$failed" = 0 ]
