#!/usr/bin/env bash
# Two bench_render binaries, A and B, alternating run by run on the CT's skipping frames (one
# thread, no VTK), so that both meet the shared machine in the same states: its speed swings by a
# fifth within minutes (docs/benchmarks.md, "A/B on this machine"), more than most changes buy.
# Usage: tools/bench_ab.sh ROUNDS BIN_A BIN_B [bench_render options...]
# Prints, per binary, the lowest median frame time (ms) and every run's median.
set -euo pipefail
rounds=${1:?rounds}; a=${2:?binary A}; b=${3:?binary B}; shift 3
for ((i = 0; i < rounds; ++i)); do
  for bin in "$a" "$b"; do
    ms=$("$bin" --no-big --no-vtk --no-fused --threads 1 --frames 4 --skip-only "$@" 2>&1 |
         awk '/CineVox skipping/ {print $4}')
    echo "$bin ${ms:-NA}"
  done
done | awk '{all[$1] = all[$1] " " $2; if (!($1 in lo) || $2 < lo[$1]) lo[$1] = $2}
            END {for (k in lo) printf "%s: lowest %s ms; runs%s\n", k, lo[k], all[k]}'
