#!/usr/bin/env bash
# Cold start of ssilab against the JVM's own, runs interleaved (default 5 each):
#   java -version                  (the floor: a JVM that does nothing)
#   bin/ssilab --version           (launcher + jar + picocli)
#   first tutor prompt             (fresh state: course loaded, welcome shown, prompt printed; stdin a pipe)
# usage: bench/cold-start.sh [RUNS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-5}
tmp=$(mktemp -d "$work/XXXXXX"); trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache XDG_CONFIG_HOME=$tmp/config

# Time until the first prompt appears on stdout.
prompt_ms() {
  local s e pid; : >"$tmp/out"; s=$(date +%s%N)
  "$home/bin/ssilab" < <(sleep 30) >"$tmp/out" 2>&1 & pid=$!
  until grep -q 'ssilab .*> ' "$tmp/out"; do sleep 0.002; done
  e=$(date +%s%N); kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo $(( (e - s) / 1000000 ))
}

jv=(); sv=(); fp=()
for _ in $(seq "$runs"); do
  jv+=("$(msecs java -version)")
  sv+=("$(msecs "$home/bin/ssilab" --version)")
  rm -rf "$tmp/state" "$tmp/data"; fp+=("$(prompt_ms)")
done
stats "java -version" ms "${jv[@]}"
stats "ssilab --version" ms "${sv[@]}"
stats "ssilab first prompt (fresh XDG dirs)" ms "${fp[@]}"
echo "  => ssilab --version is $(ratio "${sv[*]}" "${jv[*]}")x java -version; first prompt $(ratio "${fp[*]}" "${jv[*]}")x"
