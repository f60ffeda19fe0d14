# Shared helpers for the bench scripts: a 100 MB+ test corpus, timing, medians.
# The corpus is real data from this machine (programs, libraries, docs), like a root image's content.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=$(cd "$here/.." && pwd)
jar="$home/target/ssilab.jar"
work=${SSILAB_BENCH_DIR:-/tmp/ssilab-bench}
size_mb=${SSILAB_BENCH_MB:-130}
mkdir -p "$work"
# The JVM options bin/ssilab uses (what a learner gets) unless SSILAB_JAVA_OPTS says otherwise.
launcher_opts=$(sed -n 's/.*SSILAB_JAVA_OPTS:-\([^}]*\)}.*/\1/p' "$home/bin/ssilab")
java_opts=${SSILAB_JAVA_OPTS:-$launcher_opts}

[ -f "$jar" ] || (cd "$home" && mvn -q -B package -DskipTests)

corpus() {
  local f="$work/corpus.bin"
  if [ ! -f "$f" ] || [ "$(stat -c %s "$f")" -ne $((size_mb * 1000000)) ]; then
    echo "making a ${size_mb} MB corpus from /usr ..." >&2
    tar cf - /usr/lib /usr/share /usr/bin 2>/dev/null | head -c $((size_mb * 1000000)) >"$f"
  fi
  echo "$f"
}

now() { date +%s.%N; }

# seconds COMMAND...: runs it, prints elapsed seconds
seconds() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

mbps() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }

ssilab() { java $java_opts -jar "$jar" "$@"; }
