// SPDX-License-Identifier: MIT
#include "window_map.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <cvx/core/hd/window.h>
#include <cvx/render/simd.h>
#if CVX_AVX2_KERNELS
#include <immintrin.h>
#endif

namespace cvx::view::detail {
namespace {

constexpr uint32_t kBlack = 0xFF000000u;

// displayLevel without the libm call, inlined in the per-pixel loop: g is in [0, 1], so x = g * 255
// is >= 0, x + 0.5 is exact in double (a float has 24 significant bits) and truncating it rounds half
// away from zero exactly as std::lround(x) does.
inline int level(float value, float center, float width, bool invert) {
  if (value != value) return -1;  // NaN
  float g = hd::applyWindow(value, center, width);
  if (invert) g = 1.0f - g;
  return static_cast<int>(static_cast<double>(g * 255.0f) + 0.5);
}

uint32_t blend(uint32_t below, uint32_t above, double alpha) {
  if (alpha >= 1) return above;
  uint32_t out = kBlack;
  for (int c = 0; c < 3; ++c) {
    const double b = (below >> (8 * c)) & 0xFF, a = (above >> (8 * c)) & 0xFF;
    out |= static_cast<uint32_t>(std::lround(b + (a - b) * alpha)) << (8 * c);
  }
  return out;
}

// level() on N values at once (GCC vector extensions: SSE for 4, AVX2 for 8): the same float
// operations lane by lane, applyWindow's two tests as selects (the lower one last, as it is tested
// first), and lround(x) for x >= 0 as trunc(x) + (x - trunc(x) >= 0.5), exact since the fraction
// of a float below 2^23 is exact. NaN lanes come back -1. (By reference: no vector crosses a call
// whose ABI depends on the target.)
template <class F, class I>
[[gnu::always_inline]] inline void levels(const F& v, float center, float width, bool invert, I& out) {
  const float w = width < 1.0f ? 1.0f : width;
  const float c = center - 0.5f;
  const float half = (w - 1.0f) * 0.5f;
  const float lo = c - half, hi = c + half;
  F g = (v - c) / (w - 1.0f) + 0.5f;
  g = v > hi ? F{} + 1.0f : g;
  g = v <= lo ? F{} : g;
  if (invert) g = 1.0f - g;
  const F x = g * 255.0f;
  const I i = __builtin_convertvector(x, I);
  const I up = (x - __builtin_convertvector(i, F)) >= 0.5f;  // -1 where true
  out = v == v ? i - up : I{} - 1;
}

using F4 = float __attribute__((vector_size(16)));
using I4 = int32_t __attribute__((vector_size(16)));
using F8 = float __attribute__((vector_size(32)));
using I8 = int32_t __attribute__((vector_size(32)));

// Opaque layers, eight (AVX2) or four pixels at a time: the colour from the 256-entry map (worked
// out for the grey ramp), NaN lanes keep what lies below. Returns the first pixel left (fewer than eight remain).
#if CVX_AVX2_KERNELS
__attribute__((target("avx2"))) size_t opaque8(const float* v, const uint32_t* lut, bool grey, float c,
                                               float w, bool invert, bool bottom, uint32_t* px, size_t i0,
                                               size_t i1) {
  for (; i0 + 8 <= i1; i0 += 8) {
    F8 x;
    std::memcpy(&x, v + i0, sizeof x);
    I8 g;
    levels(x, c, w, invert, g);
    const I8 drawn = g >= 0;
    I8 colour;
    if (grey) {  // the grey map is the ramp i -> (i, i, i, 255): no gather
      colour = g | g << 8 | g << 16 | static_cast<int32_t>(kBlack);
    } else {
      colour = reinterpret_cast<I8>(_mm256_i32gather_epi32(reinterpret_cast<const int*>(lut),
                                                           reinterpret_cast<__m256i>(drawn ? g : I8{}), 4));
    }
    I8 below;
    if (bottom)
      below = I8{} + static_cast<int32_t>(kBlack);
    else
      std::memcpy(&below, px + i0, sizeof below);
    const I8 out = drawn ? colour : below;
    std::memcpy(px + i0, &out, sizeof out);
  }
  return i0;
}
#endif

size_t opaque4(const float* v, const uint32_t* lut, bool grey, float c, float w, bool invert, bool bottom,
               uint32_t* px, size_t i0, size_t i1) {
  for (; i0 + 4 <= i1; i0 += 4) {
    F4 x;
    std::memcpy(&x, v + i0, sizeof x);
    I4 g;
    levels(x, c, w, invert, g);
    const I4 drawn = g >= 0;
    const I4 k = drawn ? g : I4{};
    const I4 colour = grey ? (k | k << 8 | k << 16 | static_cast<int32_t>(kBlack))
                           : I4{static_cast<int32_t>(lut[k[0]]), static_cast<int32_t>(lut[k[1]]),
                                static_cast<int32_t>(lut[k[2]]), static_cast<int32_t>(lut[k[3]])};
    I4 below;
    if (bottom) below = I4{} + static_cast<int32_t>(kBlack);
    else std::memcpy(&below, px + i0, sizeof below);
    const I4 out = drawn ? colour : below;
    std::memcpy(px + i0, &out, sizeof out);
  }
  return i0;
}

}  // namespace

void mapPixels(const float* v, const DisplayMapping& m, uint32_t* px, size_t i0, size_t i1, bool bottom) {
  const uint32_t* lut = colorMapLut(m.colorMap).data();
  const double alpha = std::clamp(m.opacity, 0.0, 1.0);
  const float c = static_cast<float>(m.center), w = static_cast<float>(m.width);
  if (alpha >= 1) {  // blend() returns `above` for an opaque layer
    const bool grey = m.colorMap == ColorMap::Grey;
#if CVX_AVX2_KERNELS
    if (render::simdLevel() == render::Simd::Avx2)
      i0 = opaque8(v, lut, grey, c, w, m.invert, bottom, px, i0, i1);
#endif
    i0 = opaque4(v, lut, grey, c, w, m.invert, bottom, px, i0, i1);
  }
  for (size_t i = i0; i < i1; ++i) {
    const uint32_t below = bottom ? kBlack : px[i];
    const int g = level(v[i], c, w, m.invert);
    px[i] = g >= 0 ? blend(below, lut[static_cast<size_t>(g)], alpha) : below;
  }
}

}  // namespace cvx::view::detail
