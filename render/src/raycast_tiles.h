// SPDX-License-Identifier: MIT
// The CPU ray caster's loops: pixels in tiles on the thread pool (raycast.cpp, raycast_slabs.cpp).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <cvx/core/error.h>
#include <cvx/core/hd/raycast.h>
#include <cvx/core/thread_pool.h>

#include "flatten.h"

namespace cvx::render::detail {

constexpr int kTile = 16;  // pixels per tile edge: neighbouring rays share cache lines

// fn(x0, y0, x1, y1) for each tile of the image, on the pool.
template <class Fn>
Status forTiles(int width, int height, ThreadPool& pool, const Fn& fn) {
  const int tx = (width + kTile - 1) / kTile, ty = (height + kTile - 1) / kTile;
  return pool.parallelFor(int64_t{tx} * ty, [&](int64_t tile) {
    const int x0 = static_cast<int>(tile % tx) * kTile, y0 = static_cast<int>(tile / tx) * kTile;
    fn(x0, y0, std::min(width, x0 + kTile), std::min(height, y0 + kTile));
  });
}

inline void storePixel(const hd::PixelResult& r, size_t i, float* rgba, float* depth, float* value) {
  rgba[4 * i] = r.colour.r;
  rgba[4 * i + 1] = r.colour.g;
  rgba[4 * i + 2] = r.colour.b;
  rgba[4 * i + 3] = r.colour.a;
  if (depth) depth[i] = r.depth;
  if (value) value[i] = r.value;
}

// One tile; flatten: g++ does not always inline CVX_HD_INLINE (plain `inline` on the host) here.
template <class Sampler, class Sampler2>
[[gnu::always_inline]] inline void tileLoop(const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                                            const Sampler& s, const Sampler2* s2, int x0, int y0, int x1, int y1,
                                            int width, float* rgba, float* depth, float* value) {
  if (hd::boundsFromHints(p)) {
    // MIP / MinIP: each ray bounded from its neighbour's extreme (hd::shadePixelHinted), the one to
    // its left, or above at a row's start: the same pixels, far fewer samples.
    hd::Vec3f above, hint;
    bool haveAbove = false;
    for (int y = y0; y < y1; ++y) {
      bool have = haveAbove;
      hint = above;
      for (int x = x0; x < x1; ++x) {
        storePixel(hd::shadePixelHinted(p, tf, s, s2, x, y, hint, have), static_cast<size_t>(y) * width + x, rgba,
                   depth, value);
        if (x == x0) above = hint, haveAbove = have;
      }
    }
    return;
  }
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      storePixel(hd::shadePixel(p, tf, s, s2, x, y), static_cast<size_t>(y) * width + x, rgba, depth, value);
}
template <class Sampler, class Sampler2>
CVX_FLATTEN void tilePixels(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s,
                            const Sampler2* s2, int x0, int y0, int x1, int y1, int width, float* rgba,
                            float* depth, float* value) {
  tileLoop(p, tf, s, s2, x0, y0, x1, y1, width, rgba, depth, value);
}
#if CVX_AVX2_KERNELS
// The tiles of a batch sampler (Avx2Batch) or one marked kAvx2Loop (SseGradient), run only on AVX2
// CPUs: the whole ray loop compiled for
// AVX2, so that the sampler inlines into it and the scalar code gets VEX encoding and SSE4.1
// rounding. No FMA: target("avx2") does not enable it, so no operation is contracted and every
// value stays bit for bit the scalar path's. flatten keeps every callee inside this function.
template <class Sampler, class Sampler2>
CVX_FLATTEN __attribute__((target("avx2"))) void tilePixelsAvx2(const hd::RaycastParams& p,
                                                                const hd::TransferFunction1D& tf,
                                                                const Sampler& s, const Sampler2* s2, int x0,
                                                                int y0, int x1, int y1, int width,
                                                                float* rgba, float* depth, float* value) {
  tileLoop(p, tf, s, s2, x0, y0, x1, y1, width, rgba, depth, value);
}
#endif

// Tiles of pixels on the pool with sampler s (and s2, the fused second volume's, or null).
template <class Sampler, class Sampler2>
Status tiles(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s, const Sampler2* s2,
             int width, int height, float* rgba, float* depth, float* value, ThreadPool& pool) {
  return forTiles(width, height, pool, [&](int x0, int y0, int x1, int y1) {
#if CVX_AVX2_KERNELS
    if constexpr (hd::BatchOf<Sampler>::n > 1 || requires { Sampler::kAvx2Loop; })
      return tilePixelsAvx2(p, tf, s, s2, x0, y0, x1, y1, width, rgba, depth, value);
#endif
    tilePixels(p, tf, s, s2, x0, y0, x1, y1, width, rgba, depth, value);
  });
}

}  // namespace cvx::render::detail
