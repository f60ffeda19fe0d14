# Shared helpers for the bench scripts: a 100 MB+ test corpus, timing, medians.
# The corpus is real data from this machine (programs, libraries, docs), like a root image's content.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
home=$(cd "$here/.." && pwd)
jar="$home/target/ssilab.jar"
work=${SSILAB_BENCH_DIR:-/tmp/ssilab-bench}
size_mb=${SSILAB_BENCH_MB:-130}
mkdir -p "$work"
# Through bin/ssilab, so what is measured is what a learner gets (its JVM options per command, its
# class-data archive); SSILAB_JAVA_OPTS overrides the options, as it does for the launcher.
java_opts=${SSILAB_JAVA_OPTS:-}
"$home/bin/ssilab" --version >/dev/null   # build the jar and its archive outside the timing

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

ssilab() { "$home/bin/ssilab" "$@"; }
