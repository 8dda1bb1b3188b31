// SPDX-License-Identifier: MIT
// Eight consecutive samples of one ray with AVX2, for 16-bit voxels: what hd::compositeRay reads
// as s.sample(o + d * (t0 + (k + j) * step)) for k .. k + 7, each lane running the very float
// operations of hd::GridSampler::sample in the same order (AVX2 has no fused multiply-add to
// contract them), so every value is bit for bit the scalar one. The pair (i, i + 1) is one 32-bit
// gather (reslice_avx2.h): four gathers for eight samples. Run only where simdLevel() is AVX2.
#pragma once
#include "reslice_avx2.h"

#if CVX_AVX2_KERNELS
namespace cvx::render::detail {

// Samples k .. k + 7 of the ray into out; needs avx2Fits(s) and k + 8 < 2^24 (exact lane indices).
// Lanes past the ray's end are clamped into the grid like any sample: harmless, and unused.
template <class T>
CVX_AVX2 inline void raySamples8(const hd::GridSampler<T>& s, hd::Vec3f o, hd::Vec3f d, float t0, float j,
                                 float step, int k, float* out) {
  const hd::GridDims dm = s.dims;
  const int32_t sy = static_cast<int32_t>(s.sy), sz = static_cast<int32_t>(s.sz);
  const int32_t oy = dm.ny > 1 ? sy : 0, oz = dm.nz > 1 ? sz : 0;
  const F8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const F8 t = t0 + ((splat8(static_cast<float>(k)) + lane) + j) * step;
  const AxisLerp8 ax = axisLerp8(o.x + d.x * t, dm.nx), ay = axisLerp8(o.y + d.y * t, dm.ny),
                  az = axisLerp8(o.z + d.z * t, dm.nz);
  const I8 idx = ax.i + ay.i * sy + az.i * sz;
  // The next batch's lines, asked for now: a ray leaves the lines hardware prefetchers follow.
  // The truncated (unclamped) positions: a hint only, harmless past the grid.
  const F8 tn = t + 8.0f * step;
  const UI8 ahead = hintOffsets8(o.x + d.x * tn, o.y + d.y * tn, o.z + d.z * tn, static_cast<uint32_t>(sy),
                                 static_cast<uint32_t>(sz));
  prefetchCorners(s.data, static_cast<int32_t>(ahead[0]), oy, oz);
  prefetchCorners(s.data, static_cast<int32_t>(ahead[4]), oy, oz);
  const F8 value = trilinear8(s.data, idx, oy, oz, ax, ay, az) * s.slope + s.intercept;
  __builtin_memcpy(out, &value, sizeof value);
}

}  // namespace cvx::render::detail
#endif
