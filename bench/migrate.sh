#!/usr/bin/env bash
# Process migration on real UML nodes (CRIU): one migration's time, and its parts, against the time
# the same program takes to start. A 3-node uml cluster; dbdemo alphabet runs in the background on
# node 1 (its records go to a file of the shared root) and moves 1 -> 2 -> 3 -> 1 ... RUNS times with
# migrate, timed inside the nodes (SSI_MIGRATE_STATS: the node's clock, 10 ms steps):
#   checkpoint: criu dump on the source node (freeze, dump memory and state to the shared root's
#               image folder, end the process there); "frozen" is CRIU's own figure, the time the
#               process could not run;
#   restore:    criu restore on the target node from the same folder (the images cross no network:
#               the shared root is one host folder, so their "transfer" is the write and the read);
#   total:      migrate's own run, from its start until the process runs on the target.
# Start: from launching dbdemo on a node to its first record in its file. Needs: ssilab kernel install
# and ssilab criu install.
# Usage: bench/migrate.sh [RUNS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-5}
d0=$(mktemp -d "$work/XXXXXX")
export XDG_STATE_HOME=$d0/state XDG_DATA_HOME=$d0/data XDG_CONFIG_HOME=$d0/config SSILAB_CONSOLES=none
trap 'ssilab cluster stop 10001 >/dev/null 2>&1 || true; rm -rf "$d0"' EXIT
cd "$d0"
ssilab criu status >/dev/null || { echo "migrate.sh: no CRIU: run 'ssilab criu install'" >&2; exit 1; }
ssilab rootfs build -o "$d0/root_fs" >/dev/null
out=$(ssilab cluster start --backend uml 3 2>/dev/null)
[ "$out" = "Cluster 10001 has been started with 3 nodes" ] || { echo "migrate.sh: ssi-start said: $out" >&2; exit 1; }
node() { ssilab exec 10001 "$@"; }

# the start: in the node, from the launch to the first record (the node's clock, as migrate's figures)
start=()
for i in $(seq 1 "$runs"); do
    start+=("$(node 1 -- 'read -r a _ </proc/uptime; rm -f /cluster/b.out; dbdemo alphabet >/cluster/b.out & until [ -s /cluster/b.out ]; do sleep 0.01; done; read -r b _ </proc/uptime; kill $!; echo "($b - $a) * 1000" | bc')")
done

node 1 -- 'dbdemo alphabet >/cluster/m.out &' >/dev/null
sleep 1
pid=$(node 1 -- pgrep dbdemo)
total=(); checkpoint=(); frozen=(); restore=(); images=()
at=1
for i in $(seq 1 "$runs"); do
    to=$(( at % 3 + 1 ))
    line=$(node "$at" -- "SSI_MIGRATE_STATS=1 migrate $pid $to" 2>&1 || true)
    case "$line" in "migrate: pid $pid node $at -> $to: total "*) ;; *) echo "migrate.sh: migrate said: $line" >&2; exit 1 ;; esac
    total+=("$(sed -n 's/.*total \([0-9]*\) ms.*/\1/p' <<<"$line")")
    checkpoint+=("$(sed -n 's/.*checkpoint \([0-9]*\) ms.*/\1/p' <<<"$line")")
    frozen+=("$(sed -n 's/.*frozen \([0-9]*\) ms.*/\1/p' <<<"$line")")
    restore+=("$(sed -n 's/.*restore \([0-9]*\) ms.*/\1/p' <<<"$line")")
    images+=("$(sed -n 's/.*images \([0-9]*\) KB.*/\1/p' <<<"$line")")
    [ "$(node 2 -- where_pid "$pid")" = "$to" ] || { echo "migrate.sh: pid $pid is not on node $to after migrate" >&2; exit 1; }
    at=$to
    sleep 1
done
gaps=$(node 1 -- cat /cluster/m.out | awk '{ l = index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", substr($0, 1, 1)); if (p && l != p % 26 + 1) n++; p = l } END { print n + 0 }')
stats "start: dbdemo launched to first record" ms "${start[@]}"
stats "migrate, total (1 -> 2 -> 3 -> 1 ...)" ms "${total[@]}"
stats "  checkpoint (criu dump on the source)" ms "${checkpoint[@]}"
stats "    of which frozen (CRIU's figure)" ms "${frozen[@]}"
stats "  restore (criu restore on the target)" ms "${restore[@]}"
stats "  images written and read (shared root)" KB "${images[@]}"
echo "  => one migration is $(ratio "${total[*]}" "${start[*]}")x a fresh start of the same program; records lost or repeated across $runs moves: $gaps"
