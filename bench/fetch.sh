#!/usr/bin/env bash
# Download speed: curl against 'ssilab fetch', same file from the same 'ssilab mirror serve' on
# 127.0.0.1, same run, interleaved, RUNS times (default 3; usage: bench/fetch.sh [RUNS]). ssilab's time includes its JVM start, the MANIFEST
# request and the sha256 check; curl's includes none of those.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-3}
command -v curl >/dev/null || { echo "fetch.sh: curl is needed for the comparison (apt-get install curl)" >&2; exit 1; }
src=$(corpus)
bytes=$(stat -c %s "$src")
mirror="$work/mirror"
mkdir -p "$mirror"
ln -f "$src" "$mirror/root_fs" 2>/dev/null || cp "$src" "$mirror/root_fs"
printf '%s  %s  %s\n' "$(sha256sum "$src" | cut -d' ' -f1)" "$bytes" root_fs >"$mirror/MANIFEST"
log="$work/serve.log"
"$home/bin/ssilab" mirror serve --port 0 --dir "$mirror" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f "$work/dl"' EXIT
url=
for _ in $(seq 100); do url=$(grep -o 'http://[^ ]*' "$log" | head -1 || true); [ -n "$url" ] && break; sleep 0.1; done
[ -n "$url" ] || { echo "fetch.sh: the mirror did not start: $(cat "$log")" >&2; exit 1; }
echo "  file: $bytes bytes from $url (loopback); JVM options: ${java_opts:-those of bin/ssilab}"
c=(); s=()
for _ in $(seq "$runs"); do
  rm -f "$work/dl"; c+=("$(seconds curl -s -o "$work/dl" "${url}root_fs")")
  cmp -s "$work/dl" "$src" || { echo "curl download differs" >&2; exit 1; }
  rm -f "$work/dl"; s+=("$(seconds ssilab fetch root_fs --mirror "$url" -o "$work/dl")")
  cmp -s "$work/dl" "$src" || { echo "ssilab download differs" >&2; exit 1; }
done
stats "curl" s "${c[@]}"
stats "ssilab fetch (with its sha256 check)" s "${s[@]}"
mc=$(median3 "${c[@]}"); ms=$(median3 "${s[@]}")
printf '  => curl %.1f MB/s, ssilab fetch %.1f MB/s: ssilab fetch is %.2fx the speed of curl\n' \
  "$(mbps "$bytes" "$mc")" "$(mbps "$bytes" "$ms")" "$(echo "$mc / $ms" | bc -l)"
