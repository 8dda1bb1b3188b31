// SPDX-License-Identifier: MIT
// The general (oblique) fast path eight pixels at a time with AVX2, for 16-bit voxels: the
// lanesPixels of reslice_lanes.h in 256-bit registers, with the voxel loads as gathers. The two
// neighbours along i of a trilinear lookup are adjacent in memory, so one 32-bit gather brings
// both (low and high halves): four gathers per sample of eight pixels instead of 64 scalar loads.
// Each lane runs the very float operations of hd::reslicePixel in the same order; AVX2 alone has
// no fused multiply-add, so the compiler cannot contract them: every pixel is bit for bit the
// reference's. The functions carry target("avx2") and run only where simdLevel() says the CPU has
// it (reslice_rows.h checks).
#pragma once
#include <cvx/render/simd.h>
#if CVX_AVX2_KERNELS
#include <immintrin.h>

#include <cstdint>
#include <limits>
#include <type_traits>

#include <cvx/core/hd/reslice.h>

#include "reslice_runs.h"

#define CVX_AVX2 __attribute__((target("avx2")))

namespace cvx::render::detail {

using F8 = float __attribute__((vector_size(32)));
using I8 = int32_t __attribute__((vector_size(32)));
using UI8 = uint32_t __attribute__((vector_size(32)));

template <class T>
inline constexpr bool kPairVoxel = std::is_same_v<T, int16_t> || std::is_same_v<T, uint16_t>;

// The gathers index a phase with 32-bit voxel offsets, and read i and i+1 as one 32-bit word.
template <class T>
bool avx2Fits(const hd::GridSampler<T>& s) {
  const int64_t voxels = s.sz * s.dims.nz;
  return kPairVoxel<T> && s.dims.nx >= 2 && voxels < std::numeric_limits<int32_t>::max();
}

CVX_AVX2 inline F8 splat8(float x) { return F8{x, x, x, x, x, x, x, x}; }
CVX_AVX2 inline I8 splat8i(int32_t x) { return I8{x, x, x, x, x, x, x, x}; }

// hd::axisLerp on eight coordinates (as axisLerp4).
struct AxisLerp8 {
  I8 i;
  F8 f;
};
CVX_AVX2 inline AxisLerp8 axisLerp8(F8 c, int n) {
  const float hi = static_cast<float>(n - 1);
  c = c > 0.0f ? c : splat8(0.0f);
  c = c < hi ? c : splat8(hi);
  const int last = n > 1 ? n - 2 : 0;
  I8 i = __builtin_convertvector(c, I8);  // truncation, as static_cast<int>
  i = i < last ? i : splat8i(last);
  return {i, c - __builtin_convertvector(i, F8)};
}

CVX_AVX2 inline F8 lerp8(F8 a, F8 b, F8 f) { return a + f * (b - a); }

// Voxels at data[idx] and data[idx + 1] of eight lanes, as floats (exact).
template <class T>
CVX_AVX2 inline void gatherPair(const T* data, I8 idx, F8& lo, F8& hi) {
  const I8 g = reinterpret_cast<I8>(
      _mm256_i32gather_epi32(reinterpret_cast<const int*>(data), reinterpret_cast<__m256i>(idx), sizeof(T)));
  if constexpr (std::is_same_v<T, int16_t>) {
    lo = __builtin_convertvector((g << 16) >> 16, F8);  // arithmetic shifts: sign-extended halves
    hi = __builtin_convertvector(g >> 16, F8);
  } else {
    lo = __builtin_convertvector(g & 0xFFFF, F8);
    hi = __builtin_convertvector(
        reinterpret_cast<I8>(reinterpret_cast<__m256i>(_mm256_srli_epi32(reinterpret_cast<__m256i>(g), 16))),
        F8);
  }
}

// The stored trilinear values of eight lanes whose lower corners are at voxel offsets idx (oy, oz:
// the row and slice steps, 0 on a one-voxel axis): hd::GridSampler::sampleAt's operations in order,
// before slope and intercept.
template <class T>
CVX_AVX2 inline F8 trilinear8(const T* data, I8 idx, int32_t oy, int32_t oz, const AxisLerp8& ax, const AxisLerp8& ay,
                              const AxisLerp8& az) {
  F8 v[8];
  gatherPair(data, idx, v[0], v[1]);
  gatherPair(data, idx + oy, v[2], v[3]);
  gatherPair(data, idx + oz, v[4], v[5]);
  gatherPair(data, idx + (oy + oz), v[6], v[7]);
  const F8 below = lerp8(lerp8(v[0], v[1], ax.f), lerp8(v[2], v[3], ax.f), ay.f);
  const F8 above = lerp8(lerp8(v[4], v[5], ax.f), lerp8(v[6], v[7], ax.f), ay.f);
  return lerp8(below, above, az.f);
}

// Voxel offsets of eight points (truncated coordinates), for prefetch hints: unsigned lanes, so a
// point past the grid wraps instead of overflowing.
CVX_AVX2 inline UI8 hintOffsets8(F8 x, F8 y, F8 z, uint32_t sy, uint32_t sz) {
  return __builtin_convertvector(__builtin_convertvector(x, I8), UI8) +
         __builtin_convertvector(__builtin_convertvector(y, I8), UI8) * sy +
         __builtin_convertvector(__builtin_convertvector(z, I8), UI8) * sz;
}

// Pixels [x0, x1] of a row (every sample inside), eight at a time; returns the first pixel it left
// (fewer than eight remain). Call only where avx2Fits(s).
template <class T>
CVX_AVX2 int lanesPixels8(const hd::ResliceParams& p, const hd::GridSampler<T>& s, const float* t, int n,
                          hd::Vec3f base, int x0, int x1, float* row) {
  const hd::GridDims d = s.dims;
  const int32_t sy = static_cast<int32_t>(s.sy), sz = static_cast<int32_t>(s.sz);
  const int32_t oy = d.ny > 1 ? sy : 0, oz = d.nz > 1 ? sz : 0;
  const uint32_t usy = static_cast<uint32_t>(sy), usz = static_cast<uint32_t>(sz);
  const F8 slope = splat8(s.slope), intercept = splat8(s.intercept);
  const F8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
  constexpr float kAhead = 16;  // pixels
  int x = x0;
  for (; x + 7 <= x1; x += 8) {
    const F8 xf = splat8(static_cast<float>(x)) + lane;  // exact: integers below 2^24
    // resliceCentre: base + du * x, per coordinate.
    const F8 cx = base.x + p.du.x * xf, cy = base.y + p.du.y * xf, cz = base.z + p.du.z * xf;
    F8 hi = splat8(-__builtin_inff()), lo = splat8(__builtin_inff()), sum = splat8(0.0f);
    for (int k = 0; k < n; ++k) {
      const AxisLerp8 ax = axisLerp8(cx + p.dn.x * t[k], d.nx), ay = axisLerp8(cy + p.dn.y * t[k], d.ny),
                      az = axisLerp8(cz + p.dn.z * t[k], d.nz);
      const I8 idx = ax.i + ay.i * sy + az.i * sz;
      // Oblique rows leave the lines the hardware prefetcher follows: ask for the four lines of
      // the first and last lane two groups ahead (measured best on the CT: -25 % per frame).
      const UI8 ahead = hintOffsets8(cx + (p.du.x * kAhead + p.dn.x * t[k]), cy + (p.du.y * kAhead + p.dn.y * t[k]),
                                     cz + (p.du.z * kAhead + p.dn.z * t[k]), usy, usz);
      prefetchCorners(s.data, static_cast<int32_t>(ahead[0]), oy, oz);
      prefetchCorners(s.data, static_cast<int32_t>(ahead[7]), oy, oz);
      const F8 value = trilinear8(s.data, idx, oy, oz, ax, ay, az) * slope + intercept;
      // hd::SlabAccumulator::add, lane by lane.
      hi = value > hi ? value : hi;
      lo = value < lo ? value : lo;
      sum += value;
    }
    const F8 r =
        p.mode == hd::SlabMode::Mip ? hi : (p.mode == hd::SlabMode::MinIp ? lo : sum / static_cast<float>(n));
    __builtin_memcpy(row + x, &r, sizeof r);
  }
  return x;
}

// The Rows path's thin slice along i (axial and coronal views of an axial stack), eight pixels at a
// time: pixel x samples i = b0 + d * x on the row(s) that b, o[1] and o[2] settle, with weights f[1]
// and f[2] (kY / kZ false: that weight is 0 for the whole row and its lerp is skipped, exact as in
// sampleSkipping). The pair (i, i + 1) is one gather. Needs nx >= 2; returns the first pixel left.
template <bool kY, bool kZ, class T>
CVX_AVX2 int rowsThin8(const T* b, const int64_t o[3], const float f[3], float b0, float d, int nx, float slope,
                       float intercept, hd::SlabMode mode, int x0, int x1, float* row) {
  const F8 lane = {0, 1, 2, 3, 4, 5, 6, 7};
  const F8 fy = splat8(f[1]), fz = splat8(f[2]), vs = splat8(slope), vi = splat8(intercept);
  const bool mean = mode == hd::SlabMode::Mean;
  int x = x0;
  for (; x + 7 <= x1; x += 8) {
    const AxisLerp8 a = axisLerp8(b0 + d * (splat8(static_cast<float>(x)) + lane), nx);
    auto alongI = [&](const T* q) CVX_AVX2 {
      F8 lo, hi;
      gatherPair(q, a.i, lo, hi);
      return lerp8(lo, hi, a.f);
    };
    auto bilinear = [&](const T* q) CVX_AVX2 {
      if constexpr (kY) return lerp8(alongI(q), alongI(q + o[1]), fy);
      else return alongI(q);
    };
    F8 v;
    if constexpr (kZ) v = lerp8(bilinear(b), bilinear(b + o[2]), fz) * vs + vi;
    else v = bilinear(b) * vs + vi;
    if (mean) v = (0.0f + v) / 1.0f;  // thinResult
    __builtin_memcpy(row + x, &v, sizeof v);
  }
  return x;
}

}  // namespace cvx::render::detail

#endif  // CVX_AVX2_KERNELS
