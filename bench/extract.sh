#!/usr/bin/env bash
# Extraction speed: native bunzip2 against 'ssilab extract', same files, same run, RUNS times (default 3),
# runs interleaved so both see the same machine load. Three inputs: a single-stream file made by
# native bzip2 (like the HOWTO's root_fs.rh72.ssi.bz2), the multi-stream root_fs.ssi.bz2 that
# 'ssilab artifacts build' makes, and a disk-image-like file (a third data, the rest zeros) made by
# native bzip2. INPUTS=single limits it to the first.
# usage: bench/extract.sh [RUNS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
runs=${1:-3}
command -v bunzip2 >/dev/null || { echo "extract.sh: bunzip2 is needed for the comparison (apt-get install bzip2)" >&2; exit 1; }
src=$(corpus)
bytes=$(stat -c %s "$src")
single="$work/corpus.bin.bz2"
[ -f "$single" ] && [ "$single" -nt "$src" ] || { echo "compressing with native bzip2 -9 ..." >&2; bzip2 -9 -c "$src" >"$single"; }
inputs=("$single"); image_bz=
if [ "${INPUTS:-all}" = all ]; then
multi="$work/artifacts/root_fs.ssi.bz2"
[ -f "$multi" ] && [ "$multi" -nt "$src" ] || { echo "building artifacts ..." >&2; ssilab artifacts build --root "$src" --dir "$work/artifacts" >/dev/null; }
image="$work/image.bin"
[ -f "$image" ] && [ "$image" -nt "$src" ] || { head -c $((bytes / 3)) "$src"; head -c $((bytes - bytes / 3)) /dev/zero; } >"$image"
image_bz="$work/image.bin.bz2"
[ -f "$image_bz" ] && [ "$image_bz" -nt "$image" ] || bzip2 -9 -c "$image" >"$image_bz"
inputs+=("$multi" "$image_bz")
fi
out="$work/out"
echo "  uncompressed: $bytes bytes; cores: $(nproc); JVM options: ${java_opts:-those of bin/ssilab}"
for f in "${inputs[@]}"; do
  orig="$src"; [ "$f" = "$image_bz" ] && orig="$image"
  b=(); s=()
  for _ in $(seq "$runs"); do
    rm -f "$out"; b+=("$(seconds sh -c "bunzip2 -c '$f' >'$out'")")
    cmp -s "$out" "$orig" || { echo "bunzip2 output differs" >&2; exit 1; }
    rm -f "$out"; s+=("$(seconds ssilab extract "$f" -o "$out")")
    cmp -s "$out" "$orig" || { echo "ssilab extract output differs" >&2; exit 1; }
  done
  name=$(basename "$f"); mb=$(median3 "${b[@]}"); ms=$(median3 "${s[@]}")
  stats "bunzip2 $name" s "${b[@]}"
  stats "ssilab extract $name" s "${s[@]}"
  printf '  => %.1f MB compressed: bunzip2 %.1f MB/s, ssilab extract %.1f MB/s: ssilab extract is %.2fx the speed of bunzip2\n' \
    "$(echo "$(stat -c %s "$f") / 1000000" | bc -l)" "$(mbps "$bytes" "$mb")" "$(mbps "$bytes" "$ms")" "$(echo "$mb / $ms" | bc -l)"
done
rm -f "$out"
