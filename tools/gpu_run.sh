#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one command to run on a GPU machine: build the gpu-core preset (core + cuda + tests and
# bench_render_gpu, no Qt/DCMTK/ITK; the plugin host and the segmentation plugins with the carried
# nlohmann-json) with GoogleTest from sources, run ctest with
# CVX_REQUIRE_CUDA=1, so that a missing or unusable GPU fails instead of skipping, then
# bench_render_gpu. Logs and JUnit results go to $OUT. Prepare here first: tools/gpu_gl_debs.sh
# and tools/gpu_bench_ct.sh fill .gpu/, `tools/gpu_run.sh --prepare-only` copies GoogleTest's and
# nlohmann-json's sources into third_party_local (carry: ["third_party_local", ".gpu"]).
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

# nlohmann-json (header-only) for the plugin host, so that the segmentation plugins' CUDA back ends
# run through it (tests/plugin): Debian's headers and CMake package, carried in third_party_local.
json=third_party_local/nlohmann
if [ ! -f "$json/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" ] && [ -d /usr/include/nlohmann ]; then
  mkdir -p "$json/include" "$json/share/cmake"
  cp -r /usr/include/nlohmann "$json/include/" && cp -r /usr/share/cmake/nlohmann_json "$json/share/cmake/"
fi
jsonArgs=()
[ -f "$json/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" ] && jsonArgs=(-Dnlohmann_json_DIR="$PWD/$json/share/cmake/nlohmann_json")

[ "${1:-}" = "--prepare-only" ] && { echo "gpu_run: sources in third_party_local"; exit 0; }

# OpenGL interop (cuda/gl, tests/cuda_gl): GLVND and EGL from Debian's packages, carried in
# .gpu/gl/ (tools/gpu_gl_debs.sh); without them cvx::cuda_gl is not built and its tests do not run.
if ls .gpu/gl/*.deb > /dev/null 2>&1; then
  for f in .gpu/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nv=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f "$nv" ]; then export __EGL_VENDOR_LIBRARY_FILENAMES=$nv; fi

{ nvidia-smi || true; cmake --version; /usr/local/cuda/bin/nvcc --version || true; } > "$OUT/machine.txt" 2>&1

# The lent machines are Hopper (H100, H200): sm_90 only keeps the build short on the device's clock.
cmake --preset gpu-core -B "$BUILD" -DCVX_GTEST_SOURCE="$PWD/$gtest" "${jsonArgs[@]}" \
  -DCMAKE_CUDA_ARCHITECTURES="${CVX_CUDA_ARCHITECTURES:-90}" 2>&1 | tee "$OUT/configure.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "gpu_run: configure failed" >&2; exit 3; }
cmake --build "$BUILD" -j"$(nproc)" 2>&1 | tee "$OUT/build.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "gpu_run: build failed" >&2; exit 4; }
# 8 at a time: 12 s for the 217 tests on an H200 machine (one GPU shared; no test times itself).
CVX_REQUIRE_CUDA=1 CVX_LOG=info CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-8} ctest --test-dir "$BUILD" --output-on-failure \
  --output-junit "$OUT/ctest.xml" 2>&1 | tee "$OUT/ctest.log"
rc=${PIPESTATUS[0]}
echo "gpu_run: ctest exit $rc" | tee -a "$OUT/ctest.log"
# The ray caster's tests once more with the exact sampler (GridSampler's trilinear, as the CPU's)
# instead of the texture unit's.
CVX_REQUIRE_CUDA=1 CVX_CUDA_SAMPLER=exact "$BUILD/tests/cuda_tests" --gtest_filter='CudaRaycast*' \
  >> "$OUT/ctest.log" 2>&1 || { rc=1; echo "gpu_run: CudaRaycast* with CVX_CUDA_SAMPLER=exact failed" | tee -a "$OUT/ctest.log"; }
# The CUDA segmentation's Dice lines, pass counts and kernel times (ctest hides a passing test's
# output): its tests once more, logged whole.
CVX_REQUIRE_CUDA=1 "$BUILD/tests/cuda_tests" --gtest_filter='SegCuda*' > "$OUT/seg_cuda.log" 2>&1 ||
  echo "gpu_run: SegCuda* failed (seg_cuda.log)" | tee -a "$OUT/ctest.log"
# bench_render_gpu on the CT carried in .gpu (tools/gpu_bench_ct.sh), or on the committed crop.
bench=(); ct=.gpu/ct.raw.gz
if [ -f "$ct" ] && gunzip -c "$ct" > /tmp/cvx-ct.raw; then read -ra bench < .gpu/ct.args; bench+=(--ct /tmp/cvx-ct.raw); fi
"$BUILD/bench/bench_render_gpu" "${bench[@]}" 2>&1 | tee "$OUT/bench_render_gpu.log"
# bench_segment's CUDA column on the same CT (bench_segment itself needs ITK, absent there).
"$BUILD/bench/bench_segment_cuda" "${bench[@]}" 2>&1 | tee "$OUT/bench_segment_cuda.log"
exit "$rc"
