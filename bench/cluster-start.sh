#!/usr/bin/env bash
# Wall time of `ssi-start 4` (median of 5 runs, each followed by ssi-stop), as a learner sees it:
# a fresh JVM for the command, the manager launched, nodes 1..4 booted, the ready answer received.
#
# usage: bench/cluster-start.sh [BACKEND]      BACKEND: sim (default), uml, or echo (the tests' backend)
#        ROOT=/path/to/root_fs bench/cluster-start.sh uml     (a real root image for uml)
set -euo pipefail
backend=${1:-sim}
runs=5
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
jar=$home/target/ssilab.jar
if [ ! -f "$jar" ]; then
  (cd "$home" && mvn -q -B package -DskipTests)
fi
cp=$jar
if [ "$backend" = echo ]; then
  # The echo backend lives in the test classes only.
  [ -d "$home/target/test-classes/META-INF" ] || (cd "$home" && mvn -q -B test-compile)
  cp="$cp:$home/target/test-classes"
fi

tmp=$(mktemp -d)
cleanup() {
  java -cp "$cp" dev.ssilab.cli.Main cluster stop 10001 >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
export XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
# The UML kernel is cached per machine: uml keeps the real cache folder.
[ "$backend" = uml ] || export XDG_CACHE_HOME=$tmp/cache
mkdir -p "$tmp/work"
cd "$tmp/work"
if [ -n "${ROOT:-}" ]; then
  ln -s "$(readlink -f "$ROOT")" root_fs
else
  echo "bench root image" > root_fs
fi

# As the learner runs it: through bin/ssilab (its JVM options and class-data archive); the echo backend
# lives in the test classes, so it runs java directly with the same options.
if [ "$backend" = echo ]; then
  ssilab() { java ${SSILAB_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto} -cp "$cp" dev.ssilab.cli.Main "$@"; }
else
  "$home/bin/ssilab" --version >/dev/null   # build the jar and its archive outside the timing
  ssilab() { "$home/bin/ssilab" "$@"; }
fi

times=()
for i in $(seq 1 $runs); do
  t0=$(date +%s%N)
  out=$(ssilab cluster start --backend "$backend" 4)
  t1=$(date +%s%N)
  id=$(echo "$out" | sed -n 's/^Cluster \([0-9]*\) has been started with 4 nodes$/\1/p')
  if [ -z "$id" ]; then
    echo "bench: unexpected ssi-start output: $out" >&2
    exit 1
  fi
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "run $i: ssi-start 4 took $ms ms (cluster $id)"
  ssilab cluster stop "$id" >/dev/null
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "ssi-start 4 on backend $backend: median of $runs = $median ms (runs: ${times[*]} ms; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
