#!/usr/bin/env bash
# Wall time of `ssi-start NODES` (each run followed by ssi-stop), as a learner sees it: a fresh JVM for
# the command, the manager launched, the nodes booted, the ready answer received. Then, on one cluster
# left running, the latency of EXEC_CALLS `ssilab exec ID 1 -- true` calls (each a fresh JVM).
#
# usage: bench/cluster-start.sh [BACKEND [NODES [RUNS [EXEC_CALLS]]]]
#        BACKEND: sim (default), uml, or echo (the tests' backend); NODES 4, RUNS 5, EXEC_CALLS 0
#        ROOT=/path/to/root_fs bench/cluster-start.sh uml     (a real root image for uml)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
backend=${1:-sim}
nodes=${2:-4}
runs=${3:-5}
calls=${4:-0}
cp=$jar
if [ "$backend" = echo ]; then
  # The echo backend lives in the test classes only.
  [ -d "$home/target/test-classes/META-INF" ] || (cd "$home" && mvn -q -B test-compile)
  cp="$cp:$home/target/test-classes"
fi

tmp=$(mktemp -d "$work/XXXXXX")
cleanup() {
  java -cp "$cp" dev.ssilab.cli.Main cluster stop 10001 >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config SSILAB_CONSOLES=none
# The UML kernel is cached per machine: uml keeps the real cache folder.
[ "$backend" = uml ] || export XDG_CACHE_HOME=$tmp/cache
mkdir -p "$tmp/work"
cd "$tmp/work"
if [ -n "${ROOT:-}" ]; then
  ln -s "$(readlink -f "$ROOT")" root_fs
elif [ "$backend" = uml ]; then
  "$home/bin/ssilab" rootfs build -o root_fs >/dev/null
else
  echo "bench root image" > root_fs
fi

# As the learner runs it: through bin/ssilab (its JVM options and class-data archive); the echo backend
# lives in the test classes, so it runs java directly with the same options.
if [ "$backend" = echo ]; then
  ssilab() { java ${SSILAB_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto} -cp "$cp" dev.ssilab.cli.Main "$@"; }
fi

times=()
for i in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  out=$(ssilab cluster start --backend "$backend" "$nodes" 2>/dev/null)
  t1=$(date +%s%N)
  id=$(echo "$out" | sed -n "s/^Cluster \([0-9]*\) has been started with $nodes nodes\$/\1/p")
  [ -n "$id" ] || { echo "bench: unexpected ssi-start output: $out" >&2; exit 1; }
  times+=("$(( (t1 - t0) / 1000000 ))")
  [ "$i" -lt "$runs" ] || [ "$calls" -eq 0 ] || break
  ssilab cluster stop "$id" >/dev/null
done
stats "ssi-start $nodes ($backend)" ms "${times[@]}"
if [ "$calls" -gt 0 ]; then
  lat=()
  for _ in $(seq "$calls"); do lat+=("$(msecs ssilab exec "$id" 1 -- true)"); done
  stats "ssilab exec $id 1 -- true (per call)" ms "${lat[@]}"
  # The same call 1,000 times from one JVM: what a call costs without the JVM start.
  api_calls=${API_CALLS:-1000}
  read -r med lo hi < <(java -cp "$cp" "$here/ExecLatencyBench.java" "$id" "$api_calls")
  printf '  %-44s median %8s ms   (min %8s, max %8s, N=%s)\n' "exec through the Cluster API, one JVM" "$med" "$lo" "$hi" "$api_calls"
  ssilab cluster stop "$id" >/dev/null
fi
