// SPDX-License-Identifier: MIT
// The MIP / MinIP of a pixel whose slab samples are a run of neighbouring voxels along i (a slab
// along the grid's x axis, e.g. a sagittal slab of an axial stack: the samples of one pixel are
// contiguous in memory). Four samples at a time (GCC vector extensions: one SSE2 register on the
// x86-64 baseline), each with the very lerps of hd::GridSampler::sampleAt
// in the same order, so every sample is bit for bit the reference's. The maximum (minimum) of a set
// does not depend on the order it is taken in, except between -0 and +0 (hd keeps the first of
// equal samples): a result of zero is taken again in the reference's order.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <cvx/core/hd/reslice.h>

namespace cvx::render::detail {

// Integer voxels only: a float volume may hold NaN, which a vector compare orders differently.
template <class T>
inline constexpr bool kRunVoxel = std::is_same_v<T, uint8_t> || std::is_same_v<T, int16_t> || std::is_same_v<T, uint16_t>;

using F4 = float __attribute__((vector_size(16)));
using U8x4 = uint8_t __attribute__((vector_size(4)));
using I16x4 = int16_t __attribute__((vector_size(8)));
using U16x4 = uint16_t __attribute__((vector_size(8)));

// x in every lane (not F4{} + x, which turns -0 into +0).
inline F4 splat(float x) { return F4{x, x, x, x}; }

// The four lines a trilinear lookup at voxel offset i reads (oy, oz: its row and slice steps). A
// hint only: integer addresses, no pointer arithmetic, so an offset past the grid is harmless.
template <class T>
inline void prefetchCorners(const T* data, int64_t i, int64_t oy, int64_t oz) {
  const uintptr_t b = reinterpret_cast<uintptr_t>(data) + static_cast<uintptr_t>(i) * sizeof(T);
  const uintptr_t y = static_cast<uintptr_t>(oy) * sizeof(T), z = static_cast<uintptr_t>(oz) * sizeof(T);
  __builtin_prefetch(reinterpret_cast<const void*>(b));
  __builtin_prefetch(reinterpret_cast<const void*>(b + y));
  __builtin_prefetch(reinterpret_cast<const void*>(b + z));
  __builtin_prefetch(reinterpret_cast<const void*>(b + y + z));
}

// Four voxels from p on as floats (exact: every value of these types is a float).
template <class T>
inline F4 load4(const T* p) {
  using V = std::conditional_t<std::is_same_v<T, uint8_t>, U8x4, std::conditional_t<std::is_same_v<T, int16_t>, I16x4, U16x4>>;
  V v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, F4);
}

// Sample s of the run: voxel p[s] with its neighbours at +o1 (weight f1) and, when kZ, +o2 (f2):
// sampleSkipping<false, true, kZ> with the run's axis weight 0.
template <bool kZ, class T>
inline float runSample(const T* p, int64_t o1, int64_t o2, float f1, float f2, float slope, float intercept) {
  const float a = hd::lerp(hd::loadVoxel(p), hd::loadVoxel(p + o1), f1);
  if constexpr (kZ) {
    const float b = hd::lerp(hd::loadVoxel(p + o2), hd::loadVoxel(p + o2 + o1), f1);
    return hd::lerp(a, b, f2) * slope + intercept;
  } else {
    return a * slope + intercept;
  }
}

template <bool kZ, class T>
inline F4 runSample4(const T* p, int64_t o1, int64_t o2, F4 f1, F4 f2, F4 slope, F4 intercept) {
  const F4 a0 = load4(p), a1 = load4(p + o1);
  const F4 a = a0 + f1 * (a1 - a0);
  if constexpr (kZ) {
    const F4 b0 = load4(p + o2), b1 = load4(p + o2 + o1);
    const F4 b = b0 + f1 * (b1 - b0);
    return (a + f2 * (b - a)) * slope + intercept;
  } else {
    return a * slope + intercept;
  }
}

// The largest (max) or smallest sample of the run p[0..len), len >= 4; `first` is the sample the
// reference takes first and `step` (+1 or -1) its order, for the zero case.
template <bool kZ, bool kMax, class T>
float runExtreme(const T* p, int len, const T* first, int step, int64_t o1, int64_t o2, float f1, float f2,
                 float slope, float intercept) {
  const F4 vf1 = splat(f1), vf2 = splat(f2), vs = splat(slope), vi = splat(intercept);
  F4 m = runSample4<kZ>(p, o1, o2, vf1, vf2, vs, vi);
  // The last block may overlap the one before: a sample taken twice changes no maximum.
  for (int s = 4; s < len; s += 4) {
    const F4 v = runSample4<kZ>(p + (s + 4 <= len ? s : len - 4), o1, o2, vf1, vf2, vs, vi);
    if constexpr (kMax) m = v > m ? v : m;
    else m = v < m ? v : m;
  }
  float r = m[0];
  for (int l = 1; l < 4; ++l) r = kMax ? (m[l] > r ? m[l] : r) : (m[l] < r ? m[l] : r);
  if (r != 0.0f) return r;
  hd::SlabAccumulator acc;  // -0 and +0: the reference's order decides
  for (int s = 0; s < len; ++s) acc.add(runSample<kZ>(first + s * step, o1, o2, f1, f2, slope, intercept));
  return kMax ? acc.hi : acc.lo;
}

}  // namespace cvx::render::detail
