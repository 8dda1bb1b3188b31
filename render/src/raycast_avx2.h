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
// Lanes past the ray's end are clamped into the grid like any sample: harmless, and unused. zOff:
// the slice of the volume that s's first slice is (a slab's sampler, hd::SlabSampler), 0 otherwise.
template <class T>
CVX_AVX2 inline void raySamples8(const hd::GridSampler<T>& s, hd::Vec3f o, hd::Vec3f d, float t0, float j,
                                 float step, int k, float* out, float zOff = 0.0f) {
  const hd::GridDims dm = s.dims;
  const int32_t sy = static_cast<int32_t>(s.sy), sz = static_cast<int32_t>(s.sz);
  const int32_t oy = dm.ny > 1 ? sy : 0, oz = dm.nz > 1 ? sz : 0;
  const F8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const F8 t = t0 + ((splat8(static_cast<float>(k)) + lane) + j) * step;
  const AxisLerp8 ax = axisLerp8(o.x + d.x * t, dm.nx), ay = axisLerp8(o.y + d.y * t, dm.ny),
                  az = axisLerp8((o.z + d.z * t) - zOff, dm.nz);
  const I8 idx = ax.i + ay.i * sy + az.i * sz;
  // The next batch's lines, asked for now: a ray leaves the lines hardware prefetchers follow.
  // The truncated (unclamped) positions: a hint only, harmless past the grid.
  const F8 tn = t + 8.0f * step;
  const UI8 ahead = hintOffsets8(o.x + d.x * tn, o.y + d.y * tn, (o.z + d.z * tn) - zOff, static_cast<uint32_t>(sy),
                                 static_cast<uint32_t>(sz));
  prefetchCorners(s.data, static_cast<int32_t>(ahead[0]), oy, oz);
  prefetchCorners(s.data, static_cast<int32_t>(ahead[4]), oy, oz);
  const F8 value = trilinear8(s.data, idx, oy, oz, ax, ay, az) * s.slope + s.intercept;
  __builtin_memcpy(out, &value, sizeof value);
}

// A sampler (hd::GridSampler<T>, or hd::SlabSampler of one) that reads a ray's samples eight at a
// time with raySamples8: the same values as its sample().
template <class Base>
struct Avx2Batch : Base {
  static constexpr int kBatch = 8;
  explicit Avx2Batch(const Base& s) : Base(s) {}
  void rayBatch(hd::Vec3f o, hd::Vec3f d, float t0, float j, float step, int k, float* out) const {
    float zOff = 0.0f;
    if constexpr (requires { this->zOff; }) zOff = this->zOff;
    if (k < (1 << 24) - 8) return raySamples8(*this, o, d, t0, j, step, k, out, zOff);
    for (int i = 0; i < kBatch; ++i) out[i] = this->sample(o + d * (t0 + (static_cast<float>(k + i) + j) * step));
  }
};

}  // namespace cvx::render::detail
#endif
