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
  // And the slices below and above (z - 1, z + 2) that a shaded sample's gradient reads: a ray's
  // visible samples come in runs, and those lines are the ones no sample brings (about 2 % of a
  // CT skipping frame on one thread, tools/bench_ab.sh; docs/benchmarks.md).
  prefetchCorners(s.data, static_cast<int32_t>(ahead[0]) - oz, oy, 3 * oz);
  prefetchCorners(s.data, static_cast<int32_t>(ahead[4]) - oz, oy, 3 * oz);
  prefetchCorners(s.data, idx[0] - oz, oy, 3 * oz);  // this batch's too: the first after a leap
  const F8 value = trilinear8(s.data, idx, oy, oz, ax, ay, az) * s.slope + s.intercept;
  __builtin_memcpy(out, &value, sizeof value);
}

// hd::RayReader::takeClear's count on a batch of eight (lane i: sample k - at + i), the lanes' t by
// its formula in the same operations (exact for indices below 2^24).
CVX_AVX2 inline int clearRun8(const float* batch, int at, int have, float below, float t0, float j, float step,
                              int k, float tEnd) {
  const int kBase = k - at;
  if (kBase < 0 || kBase > (1 << 24) - 16) return hd::clearRunOf(batch, at, have, below, t0, j, step, k, tEnd);
  const F8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
  F8 v;
  __builtin_memcpy(&v, batch, sizeof v);
  const F8 t = t0 + ((splat8(static_cast<float>(kBase)) + lane) + j) * step;
  const I8 ok = (v <= below) & (t < tEnd);
  const unsigned lanes = static_cast<unsigned>(_mm256_movemask_ps(reinterpret_cast<__m256>(ok))) & ((1u << have) - 1u);
  return __builtin_ctz(~(lanes >> at));  // the run ends at the first lane that fails (or at `have`)
}

// Four 16-bit (or float) voxels at p as floats (exact), and two pairs.
template <class T>
CVX_AVX2 inline __m128 voxels4(const T* p) {
  if constexpr (std::is_same_v<T, float>) return _mm_loadu_ps(p);
  const __m128i v = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
  return _mm_cvtepi32_ps(std::is_same_v<T, int16_t> ? _mm_cvtepi16_epi32(v) : _mm_cvtepu16_epi32(v));
}
template <class T>
CVX_AVX2 inline __m128 voxelPairs(const T* p, const T* q) {  // p[0], p[1], q[0], q[1]
  if constexpr (std::is_same_v<T, float>) return _mm_setr_ps(p[0], p[1], q[0], q[1]);
  int32_t a, b;
  __builtin_memcpy(&a, p, 4);
  __builtin_memcpy(&b, q, 4);
  const __m128i v = _mm_unpacklo_epi32(_mm_cvtsi32_si128(a), _mm_cvtsi32_si128(b));
  return _mm_cvtepi32_ps(std::is_same_v<T, int16_t> ? _mm_cvtepi16_epi32(v) : _mm_cvtepu16_epi32(v));
}
// hd's diff on four lanes: lerp(up1 - down, up2 - at, f).
CVX_AVX2 inline __m128 diff4(__m128 down, __m128 at, __m128 up1, __m128 up2, float f) {
  const __m128 a = _mm_sub_ps(up1, down), b = _mm_sub_ps(up2, at);
  return _mm_add_ps(a, _mm_mul_ps(_mm_set1_ps(f), _mm_sub_ps(b, a)));
}

// hd::GridSampler<T>::gradient with SSE where the 4^3 block around the cell lies inside the grid
// (no neighbour clamped): its 32 voxels from 12 loads (four rows of four along x, and pairs along y
// and z), the 12 differences four at a time, each lane the scalar operations in order (no FMA),
// then the scalar's lerps: bit for bit hd's value. Elsewhere hd's own.
template <class T>
CVX_AVX2 inline hd::Vec3f gradientSse(const hd::GridSampler<T>& s, hd::Vec3f p) {
  const hd::GridDims dm = s.dims;
  const hd::AxisLerp ax = hd::axisLerp(p.x, dm.nx), ay = hd::axisLerp(p.y, dm.ny), az = hd::axisLerp(p.z, dm.nz);
  if (!(ax.i > 0 && ax.i + 2 < dm.nx && ay.i > 0 && ay.i + 2 < dm.ny && az.i > 0 && az.i + 2 < dm.nz))
    return s.gradient(p);
  const int64_t sy = s.sy, sz = s.sz;
  const T* b = s.data + (ax.i + ay.i * sy + az.i * sz);
  // Rows x - 1 .. x + 2 at (y, z), (y + 1, z), (y, z + 1), (y + 1, z + 1).
  const __m128 r00 = voxels4(b - 1), r10 = voxels4(b - 1 + sy), r01 = voxels4(b - 1 + sz),
               r11 = voxels4(b - 1 + sy + sz);
  __m128 c0 = r00, c1 = r10, c2 = r01, c3 = r11;
  _MM_TRANSPOSE4_PS(c0, c1, c2, c3);  // c[k]: voxel x - 1 + k of the four rows
  const __m128 dx = diff4(c0, c1, c2, c3, ax.f);  // lanes: corners 0, y1, z1, y1 + z1
  // Along y, lanes (x, z), (x + 1, z), (x, z + 1), (x + 1, z + 1).
  const __m128 dy = diff4(voxelPairs(b - sy, b - sy + sz), _mm_shuffle_ps(r00, r01, _MM_SHUFFLE(2, 1, 2, 1)),
                          _mm_shuffle_ps(r10, r11, _MM_SHUFFLE(2, 1, 2, 1)), voxelPairs(b + 2 * sy, b + 2 * sy + sz),
                          ay.f);
  // Along z, lanes (x, y), (x + 1, y), (x, y + 1), (x + 1, y + 1).
  const __m128 dz = diff4(voxelPairs(b - sz, b - sz + sy), _mm_shuffle_ps(r00, r10, _MM_SHUFFLE(2, 1, 2, 1)),
                          _mm_shuffle_ps(r01, r11, _MM_SHUFFLE(2, 1, 2, 1)), voxelPairs(b + 2 * sz, b + 2 * sz + sy),
                          az.f);
  float x[4], y[4], z[4];
  _mm_storeu_ps(x, dx);
  _mm_storeu_ps(y, dy);
  _mm_storeu_ps(z, dz);
  using hd::lerp;
  const float gx = lerp(lerp(x[0], x[1], ay.f), lerp(x[2], x[3], ay.f), az.f);
  const float gy = lerp(lerp(y[0], y[1], ax.f), lerp(y[2], y[3], ax.f), az.f);
  const float gz = lerp(lerp(z[0], z[1], ax.f), lerp(z[2], z[3], ax.f), ay.f);
  const float k = 0.5f * s.slope;
  return {gx * k, gy * k, gz * k};
}

// A sampler (hd::GridSampler<T>, or hd::SlabSampler of one) that reads a ray's samples eight at a
// time with raySamples8: the same values as its sample(); in core, the gradient by gradientSse.
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
  CVX_AVX2 static int clearRun(const float* batch, int at, int have, float below, float t0, float j, float step, int k,
                      float tEnd) {
    return clearRun8(batch, at, have, below, t0, j, step, k, tEnd);
  }
  hd::Vec3f gradient(hd::Vec3f p) const {
    if constexpr (requires { this->zOff; })
      return Base::gradient(p);
    else
      return gradientSse(static_cast<const Base&>(*this), p);
  }
};

// A sampler (hd::GridSampler of 16-bit or float voxels: a fused second volume, a float volume)
// with gradientSse: the same values as its own gradient. kAvx2Loop: its tiles run the AVX2 loop.
template <class Base>
struct SseGradient : Base {
  static constexpr bool kAvx2Loop = true;
  explicit SseGradient(const Base& s) : Base(s) {}
  hd::Vec3f gradient(hd::Vec3f p) const { return gradientSse(static_cast<const Base&>(*this), p); }
};

}  // namespace cvx::render::detail
#endif
