#!/usr/bin/env bash
# bench/uml-root.sh [ROUNDS]: how long 'ssi-start 4' takes on real UML nodes, with the cluster's single
# root (the default: every node's / is one host folder by hostfs) and with each node on its own
# copy-on-write layer of the image (SSILAB_UML_ROOT=image), in the same run, alternating, ROUNDS
# times each (default 5). Prints every figure and the medians. Needs the UML kernel
# ('bin/ssilab kernel install') and a few hundred MB of disk; uses private state folders.
set -euo pipefail
rounds=${1:-5}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ssilab-bench-boot.XXXXXX")
trap 'XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data "$here/bin/ssilab" cluster stop 10001 >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data SSILAB_BACKEND=uml SSILAB_CONSOLES=none
cd "$work"
"$here/bin/ssilab" rootfs build -o root_fs >/dev/null
"$here/bin/ssilab" --version >/dev/null  # the jar is built before the clock starts

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ms() { date +%s%3N; }
declare -A times
for ((i = 1; i <= rounds; i++)); do
    for mode in image shared; do
        start=$(ms)
        SSILAB_UML_ROOT=$mode "$here/bin/ssi-start" 4 >/dev/null 2>&1
        end=$(ms)
        "$here/bin/ssi-stop" >/dev/null
        t=$((end - start))
        times[$mode]+="$t "
        printf 'round %d  %-6s ssi-start 4: %5d ms\n' "$i" "$mode" "$t"
    done
done
for mode in image shared; do
    printf 'median %-6s ssi-start 4 (%d rounds): %s ms\n' "$mode" "$rounds" "$(tr ' ' '\n' <<<"${times[$mode]}" | grep . | median)"
done
