# Shared helpers for the bench scripts: a test corpus, timing, and one format for every figure
# (median, min, max of N runs). bench/run sources the pieces with SSILAB_BENCH_DIR set to a private
# folder; run alone, a piece keeps its corpus in /tmp/ssilab-bench between runs.
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
    tar cf - /usr/lib /usr/share /usr/bin 2>/dev/null | head -c $((size_mb * 1000000)) >"$f" || true
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

# msecs COMMAND...: runs it (output discarded), prints elapsed milliseconds
msecs() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  echo $(((t1 - t0) / 1000000))
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
median3() { printf '%s\n' "$@" | median; }

# stats LABEL UNIT VALUE...: one figure as every bench line prints it
stats() {
  local label=$1 unit=$2; shift 2
  local f='%8.2f'; [ "$unit" = ms ] && f='%8.0f'
  printf '%s\n' "$@" | sort -g | awk -v l="$label" -v u="$unit" -v f="$f" '{a[NR]=$1}
    END {printf "  %-44s median " f " %-4s (min " f ", max " f ", N=%d)\n", l, a[int((NR+1)/2)], u, a[1], a[NR], NR}'
}

# ratio A_VALUES B_VALUES: median(A) / median(B), e.g. ratio "${mine[*]}" "${theirs[*]}"
ratio() {
  local a b
  a=$(tr ' ' '\n' <<<"$1" | grep . | median); b=$(tr ' ' '\n' <<<"$2" | grep . | median)
  echo "scale=2; $a / $b" | bc -l | sed 's/^\./0./'
}

mbps() { echo "scale=1; $1 / 1000000 / $2" | bc -l; }

ssilab() { "$home/bin/ssilab" "$@"; }
