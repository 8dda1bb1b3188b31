#!/usr/bin/env bash
# Instructions a CT skipping frame takes, per bench_render binary: a deterministic A/B where the
# shared machine's timing noise (a fifth, docs/benchmarks.md) hides changes of a few percent. The
# CPU walk is bound by the instructions it runs (about 2.4 a cycle, docs/benchmarks.md,
# "Instructions, not memory"), so fewer instructions is the first sign of a faster frame; confirm
# with tools/bench_ab.sh. Counts only the ray loop (tilePixelsAvx2), over the untimed first frame
# and one timed frame from the front, and halves it. Needs valgrind; about 30 s a binary.
# Usage: tools/bench_instr.sh BIN [BIN ...] [-- bench_render options...]
set -euo pipefail
bins=()
while (($#)) && [[ $1 != -- ]]; do bins+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
((${#bins[@]})) || { echo "usage: $0 BIN [BIN ...] [-- options]" >&2; exit 2; }
command -v valgrind > /dev/null || { echo "bench_instr: valgrind is not installed" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for bin in "${bins[@]}"; do
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" --collect-atstart=no \
    "--toggle-collect=*tilePixelsAvx2*" "$bin" --no-big --no-vtk --no-fused --threads 1 --frames 1 \
    --step-deg 0 --skip-only "$@" > /dev/null 2> "$out/log" || { cat "$out/log" >&2; exit 1; }
  total=$(awk '/Collected :/ {print $NF}' "$out/log")
  echo "$bin: $((total / 2)) instructions a frame"
done
