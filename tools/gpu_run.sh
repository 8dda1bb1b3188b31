#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one command to run on a GPU machine: build the gpu-core preset (core + cuda + tests, no
# Qt/DCMTK/ITK) with GoogleTest from sources and run ctest with CVX_REQUIRE_CUDA=1, so that a
# missing or unusable GPU fails instead of skipping. Logs and JUnit results go to $OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/cvx-gpu-out}
BUILD=${CVX_GPU_BUILD_DIR:-build/gpu-run}
mkdir -p "$OUT"

gtest=third_party_local/googletest
if [ ! -f "$gtest/CMakeLists.txt" ]; then
  if [ -f /usr/src/googletest/CMakeLists.txt ]; then
    mkdir -p third_party_local && cp -r /usr/src/googletest "$gtest"
  else
    echo "gpu_run: no GoogleTest sources; carry $gtest (copy of /usr/src/googletest)" >&2
    exit 2
  fi
fi

{ nvidia-smi || true; cmake --version; /usr/local/cuda/bin/nvcc --version || true; } > "$OUT/machine.txt" 2>&1

cmake --preset gpu-core -B "$BUILD" -DCVX_GTEST_SOURCE="$PWD/$gtest" 2>&1 | tee "$OUT/configure.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "gpu_run: configure failed" >&2; exit 3; }
cmake --build "$BUILD" -j"$(nproc)" 2>&1 | tee "$OUT/build.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "gpu_run: build failed" >&2; exit 4; }
CVX_REQUIRE_CUDA=1 CVX_LOG=info ctest --test-dir "$BUILD" --output-on-failure \
  --output-junit "$OUT/ctest.xml" 2>&1 | tee "$OUT/ctest.log"
rc=${PIPESTATUS[0]}
echo "gpu_run: ctest exit $rc" | tee -a "$OUT/ctest.log"
# The CUDA segmentation's Dice lines, pass counts and kernel times (ctest hides a passing test's
# output): its tests once more, logged whole.
CVX_REQUIRE_CUDA=1 "$BUILD/tests/cuda_tests" --gtest_filter='SegCuda*' > "$OUT/seg_cuda.log" 2>&1 ||
  echo "gpu_run: SegCuda* failed (seg_cuda.log)" | tee -a "$OUT/ctest.log"
exit "$rc"
