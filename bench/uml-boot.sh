#!/usr/bin/env bash
# Boot time of real UML nodes: 4 nodes through ssilab's UML backend (switch, COW, swap, consoles, readiness)
# against a plain shell loop booting 4 of the same kernels in parallel (same root image and init, no network),
# median of 5 runs each; then the memory of each node. Needs: ssilab kernel install (or KERNEL=...).
# Usage: bench/uml-boot.sh [NODES] [RUNS]
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
nodes=${1:-4}
runs=${2:-5}
cd "$home"
[ -f target/classes/dev/ssilab/cluster/uml/UmlBackend.class ] || mvn -q -B compile
cp=$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout):target/classes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SSILAB_HOME="$home"
java -cp "$cp" dev.ssilab.cli.Main rootfs build -o "$work/root_fs" >/dev/null
kernel=${KERNEL:-$(java -cp "$cp" dev.ssilab.cli.Main kernel status | sed -n 's/^UML kernel .* installed at //p')}
[ -x "$kernel" ] || { echo "uml-boot.sh: no UML kernel: run 'ssilab kernel install' or set KERNEL" >&2; exit 1; }
echo "kernel: $kernel ($("$kernel" --version)); $nodes nodes, $runs runs, mem=64M"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

raw_once() {
    local d; d=$(mktemp -d -p "$work")
    mkdir -p "$d/shared"
    local t0; t0=$(date +%s.%N)
    local kpids=() gpids=()
    for n in $(seq 1 "$nodes"); do
        truncate -s 64M "$d/swap$n"
        mkfifo "$d/console$n"
        "$kernel" umid="raw$n" uml_dir="$d" mem=64M ubd0="$d/cow$n,$work/root_fs" ubd1="$d/swap$n" root=/dev/ubda rw \
            con=null ssl=null con1=fd:0,fd:1 quiet NODE="$n" CLUSTER="$d/shared" </dev/null >"$d/console$n" 2>&1 &
        kpids+=($!)
        # each kernel's first command line (con1, where init says it is ready) is read until the marker
        grep -m1 -q "SSILAB-READY node $n" <"$d/console$n" &
        gpids+=($!)
    done
    wait "${gpids[@]}"
    local t1; t1=$(date +%s.%N)
    kill -9 "${kpids[@]}" 2>/dev/null || true
    wait "${kpids[@]}" 2>/dev/null || true
    echo "$t1 - $t0" | bc
}

raw=()
for i in $(seq 1 "$runs"); do
    t=$(raw_once)
    printf 'shell loop run %d: %d kernels ready in %.3f s\n' "$i" "$nodes" "$t"
    raw+=("$t")
done
printf 'shell loop median of %d: %.3f s\n' "$runs" "$(printf '%s\n' "${raw[@]}" | median)"
java -cp "$cp" bench/UmlBootBench.java "$work/root_fs" "$nodes" "$runs"
