#!/usr/bin/env bash
# Cold start of ssilab against the JVM's own: median of N runs (default 5) of
#   java -version                  (the floor: a JVM that does nothing)
#   bin/ssilab --version           (launcher + jar + picocli)
#   first tutor prompt             (course loaded and rendered, welcome shown, prompt printed; stdin is a pipe)
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
"$home/bin/ssilab" --version >/dev/null   # build the jar if needed, outside the timing

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# Time until the first prompt appears on stdout.
prompt_ms() {
  local s e pid; : >"$tmp/out"; s=$(date +%s%N)
  "$home/bin/ssilab" < <(sleep 30) >"$tmp/out" 2>&1 & pid=$!
  until grep -q 'ssilab .*> ' "$tmp/out"; do sleep 0.002; done
  e=$(date +%s%N); kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo $(( (e - s) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for name in java-version ssilab-version first-prompt; do
  vals=()
  for _ in $(seq "$runs"); do
    case $name in
      java-version) vals+=("$(ms java -version)");;
      ssilab-version) vals+=("$(ms "$home/bin/ssilab" --version)");;
      first-prompt) rm -rf "$tmp/state"; vals+=("$(prompt_ms)");;
    esac
  done
  printf '%-16s median %5s ms   runs: %s\n' "$name" "$(printf '%s\n' "${vals[@]}" | median)" "${vals[*]}"
done
