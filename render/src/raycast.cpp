// SPDX-License-Identifier: MIT
#include <cvx/core/backend.h>
#include <cvx/render/raycast.h>

#include <algorithm>
#include <string>
#include <type_traits>

#include <cvx/core/reslice.h>
#include <cvx/render/simd.h>

#include "raycast_avx2.h"

namespace cvx::render {
namespace {

Error badRequest(std::string message) { return makeError("render.bad_request", std::move(message)); }

constexpr int kTile = 16;  // pixels per tile edge: neighbouring rays share cache lines

#if CVX_AVX2_KERNELS
// The sampler with AVX2 batches of eight samples per ray (raycast_avx2.h): the same values.
template <class T>
struct Avx2Sampler : hd::GridSampler<T> {
  static constexpr int kBatch = 8;
  explicit Avx2Sampler(const hd::GridSampler<T>& s) : hd::GridSampler<T>(s) {}
  void rayBatch(hd::Vec3f o, hd::Vec3f d, float t0, float j, float step, int k, float* out) const {
    if (k < (1 << 24) - 8) return detail::raySamples8(*this, o, d, t0, j, step, k, out);
    for (int i = 0; i < kBatch; ++i) out[i] = this->sample(o + d * (t0 + (static_cast<float>(k + i) + j) * step));
  }
};
#endif

// One tile; flatten: g++ does not always inline CVX_HD_INLINE (plain `inline` on the host) here.
template <class Sampler, class Sampler2>
[[gnu::flatten]] void tilePixels(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s,
                                 const Sampler2* s2, int x0, int y0, int x1, int y1, int width, float* rgba,
                                 float* depth, float* value) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const hd::PixelResult r = hd::shadePixel(p, tf, s, s2, x, y);
      const size_t i = static_cast<size_t>(y) * width + x;
      rgba[4 * i] = r.colour.r;
      rgba[4 * i + 1] = r.colour.g;
      rgba[4 * i + 2] = r.colour.b;
      rgba[4 * i + 3] = r.colour.a;
      if (depth) depth[i] = r.depth;
      if (value) value[i] = r.value;
    }
}

// Tiles of pixels on the pool with sampler s (and s2, the fused second volume's, or null).
template <class Sampler, class Sampler2>
Status tiles(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s, const Sampler2* s2,
             int width, int height, float* rgba, float* depth, float* value, ThreadPool& pool) {
  const int tx = (width + kTile - 1) / kTile, ty = (height + kTile - 1) / kTile;
  return pool.parallelFor(int64_t{tx} * ty, [&](int64_t tile) {
    const int x0 = static_cast<int>(tile % tx) * kTile, y0 = static_cast<int>(tile / tx) * kTile;
    tilePixels(p, tf, s, s2, x0, y0, std::min(width, x0 + kTile), std::min(height, y0 + kTile), width, rgba, depth,
               value);
  });
}

template <class T>
hd::GridSampler<T> samplerOf(const Volume& v, int64_t phase) {
  return gridSampler(v, reinterpret_cast<const T*>(v.slice(0, phase)));
}

}  // namespace

Status raycastCpu(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                  int width, int height, float* rgba, float* depth, float* value, ThreadPool* pool) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  const hd::NoSecond* none = nullptr;
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    const hd::GridSampler<T> s = samplerOf<T>(v, phase);
#if CVX_AVX2_KERNELS
    if constexpr (detail::kPairVoxel<T>)
      if (simdLevel() == Simd::Avx2 && detail::avx2Fits(s))
        return tiles(p, tf, Avx2Sampler<T>(s), none, width, height, rgba, depth, value, tp);
#endif
    return tiles(p, tf, s, none, width, height, rgba, depth, value, tp);
  });
}

Status raycastCpuFused(const Volume& v, int64_t phase, const Volume& second, int64_t phase2,
                       const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width, int height,
                       float* rgba, float* depth, float* value, ThreadPool* pool) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  CVX_TRY(checkFusionRequest(second, phase2, p, width, height, rgba));
  const PixelType t2 = second.type();
  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  return withVoxelType(v.type(), [&](auto* type) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(type)>>;
    const hd::GridSampler<T> s = samplerOf<T>(v, phase);
    return withVoxelType(t2, [&](auto* type2) -> Status {
      using T2 = std::remove_cv_t<std::remove_pointer_t<decltype(type2)>>;
      if constexpr (std::is_same_v<T2, int16_t> || std::is_same_v<T2, uint16_t> || std::is_same_v<T2, float>) {
        const hd::GridSampler<T2> s2 = samplerOf<T2>(second, phase2);
        return tiles(p, tf, s, &s2, width, height, rgba, depth, value, tp);
      } else {
        return badRequest("unreachable");
      }
    });
  });
}

}  // namespace cvx::render
