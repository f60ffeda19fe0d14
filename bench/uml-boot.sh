#!/usr/bin/env bash
# Boot time of real UML nodes: `ssi-start --backend uml NODES` as a learner runs it (a fresh JVM, the
# manager, switch, single root, consoles, until every node is ready) against a plain shell loop booting
# NODES of the same kernels in parallel (same root image and init, no network), runs interleaved; then
# the memory of each node of the last ssilab cluster. Needs: ssilab kernel install (or KERNEL=...).
# bench/UmlBootBench.java (run alone) times the backend without the command's JVM.
# Usage: bench/uml-boot.sh [NODES] [RUNS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
nodes=${1:-4}
runs=${2:-5}
d0=$(mktemp -d "$work/XXXXXX")
export XDG_STATE_HOME=$d0/state XDG_DATA_HOME=$d0/data XDG_CONFIG_HOME=$d0/config SSILAB_CONSOLES=none
trap 'ssilab cluster stop 10001 >/dev/null 2>&1 || true; rm -rf "$d0"' EXIT
cd "$d0"
ssilab rootfs build -o "$d0/root_fs" >/dev/null
kernel=${KERNEL:-$(ssilab kernel status | sed -n 's/^UML kernel .* installed at //p')}
[ -x "$kernel" ] || { echo "uml-boot.sh: no UML kernel: run 'ssilab kernel install' or set KERNEL" >&2; exit 1; }

raw_once() {
    local d; d=$(mktemp -d -p "$d0")
    mkdir -p "$d/shared"
    local t0; t0=$(date +%s%N)
    local kpids=() gpids=()
    for n in $(seq 1 "$nodes"); do
        truncate -s 64M "$d/swap$n"
        mkfifo "$d/console$n"
        "$kernel" umid="raw$n" uml_dir="$d" mem=64M ubd0="$d/cow$n,$d0/root_fs" ubd1="$d/swap$n" root=/dev/ubda rw \
            con=null ssl=null con1=fd:0,fd:1 quiet NODE="$n" CLUSTER="$d/shared" </dev/null >"$d/console$n" 2>&1 &
        kpids+=($!)
        # each kernel's first command line (con1, where init says it is ready) is read until the marker
        grep -m1 -q "SSILAB-READY node $n" <"$d/console$n" &
        gpids+=($!)
    done
    wait "${gpids[@]}"
    local t1; t1=$(date +%s%N)
    kill -9 "${kpids[@]}" 2>/dev/null || true
    wait "${kpids[@]}" 2>/dev/null || true
    rm -rf "$d"
    echo $(( (t1 - t0) / 1000000 ))
}

raw=(); ssi=()
for i in $(seq 1 "$runs"); do
    raw+=("$(raw_once)")
    t0=$(date +%s%N)
    out=$(ssilab cluster start --backend uml "$nodes" 2>/dev/null)
    t1=$(date +%s%N)
    [ "$out" = "Cluster 10001 has been started with $nodes nodes" ] || { echo "uml-boot.sh: ssi-start said: $out" >&2; exit 1; }
    ssi+=("$(( (t1 - t0) / 1000000 ))")
    if [ "$i" -eq "$runs" ]; then
        java -cp "$jar" "$here/UmlBootBench.java" --memory 10001 "$d0/" >"$d0/mem"
    fi
    ssilab cluster stop 10001 >/dev/null
done
stats "shell loop, $nodes kernels in parallel" ms "${raw[@]}"
stats "ssi-start --backend uml $nodes" ms "${ssi[@]}"
echo "  => ssi-start is $(ratio "${ssi[*]}" "${raw[*]}")x the shell loop ($nodes nodes, mem=64M each)"
stats "RSS per node, kernel process" MB $(cut -d' ' -f1 "$d0/mem")
stats "RSS per node, kernel + its helpers" MB $(cut -d' ' -f2 "$d0/mem")
stats "PSS per node, kernel + its helpers" MB $(cut -d' ' -f3 "$d0/mem")
