#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test: the full build (CUDA when nvcc is
# found; GPU tests skip without a device), then core+io under ASan+UBSan, then a short fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
stage() { echo "== [$(( $(date +%s) - start )) s] $*"; }
scripts/deps.sh --tests
jobs=$(nproc)

stage "full build (preset default)"
# CVX_CUDA_ARCHITECTURES (CI: 90, .ci/run) narrows nvcc's targets; unset: the release list.
cuda_arch=()
[[ -n "${CVX_CUDA_ARCHITECTURES:-}" ]] && cuda_arch=(-DCMAKE_CUDA_ARCHITECTURES="$CVX_CUDA_ARCHITECTURES")
cmake --preset default "${cuda_arch[@]}"
cmake --build --preset default -j "$jobs"
stage "full build done; tests"
ctest --preset default -j "$jobs" --timeout 900

stage "core + io under ASan and UBSan (preset asan)"
cmake --preset asan
cmake --build --preset asan -j "$jobs"
stage "asan build done; tests"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --preset asan -j "$jobs" --timeout 900

if [[ -f fuzz/CMakeLists.txt ]] && command -v clang++-14 >/dev/null; then
  stage "libFuzzer smoke run (preset fuzz)"
  cmake --preset fuzz
  cmake --build --preset fuzz -j "$jobs" --target fuzzers  # the fuzzers only (fuzz/CMakeLists.txt)
  for f in build/fuzz/fuzz/fuzz_*; do
    [[ -x "$f" ]] || continue
    corpus=$(mktemp -d)
    # Each fuzzer's seed folder (fuzz/corpus/<name>/) is named in fuzz_<target>.corpus beside it.
    seeds=fuzz/corpus/dicom
    [[ -f "$f.corpus" ]] && seeds=$(<"$f.corpus")
    cp -r "$seeds"/. "$corpus"/
    # A fixed seed and run count keep CI deterministic; longer sessions: docs/testing.md.
    "$f" -seed=1 -runs="${CVX_FUZZ_RUNS:-20000}" -timeout=10 -rss_limit_mb=2048 "$corpus"
    rm -rf "$corpus"
  done
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
