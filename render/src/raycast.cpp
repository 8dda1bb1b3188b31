// SPDX-License-Identifier: MIT
#include <cvx/core/backend.h>
#include <cvx/render/raycast.h>

#include <algorithm>
#include <string>

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
template <class Sampler>
[[gnu::flatten]] void tilePixels(const hd::RaycastParams& p, const hd::TransferFunction1D& tf, const Sampler& s,
                                 int x0, int y0, int x1, int y1, int width, float* rgba, float* depth,
                                 float* value) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const hd::PixelResult r = hd::shadePixel(p, tf, s, x, y);
      const size_t i = static_cast<size_t>(y) * width + x;
      rgba[4 * i] = r.colour.r;
      rgba[4 * i + 1] = r.colour.g;
      rgba[4 * i + 2] = r.colour.b;
      rgba[4 * i + 3] = r.colour.a;
      if (depth) depth[i] = r.depth;
      if (value) value[i] = r.value;
    }
}

template <class T>
Status run(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf, int width,
           int height, float* rgba, float* depth, float* value, ThreadPool& pool) {
  const hd::GridSampler<T> s = gridSampler(v, reinterpret_cast<const T*>(v.slice(0, phase)));
  const int tx = (width + kTile - 1) / kTile, ty = (height + kTile - 1) / kTile;
  auto tiles = [&](const auto& sampler) {
    return pool.parallelFor(int64_t{tx} * ty, [&](int64_t tile) {
      const int x0 = static_cast<int>(tile % tx) * kTile, y0 = static_cast<int>(tile / tx) * kTile;
      tilePixels(p, tf, sampler, x0, y0, std::min(width, x0 + kTile), std::min(height, y0 + kTile), width, rgba,
                 depth, value);
    });
  };
#if CVX_AVX2_KERNELS
  if constexpr (detail::kPairVoxel<T>)
    if (simdLevel() == Simd::Avx2 && detail::avx2Fits(s)) return tiles(Avx2Sampler<T>(s));
#endif
  return tiles(s);
}

}  // namespace

Status raycastCpu(const Volume& v, int64_t phase, const hd::RaycastParams& p, const hd::TransferFunction1D& tf,
                  int width, int height, float* rgba, float* depth, float* value, ThreadPool* pool) {
  CVX_TRY(checkRaycastRequest(v, phase, p, tf, width, height, rgba));
  ThreadPool& tp = pool ? *pool : ThreadPool::global();
  switch (v.type()) {
    case PixelType::UInt8: return run<uint8_t>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    case PixelType::Int16: return run<int16_t>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    case PixelType::UInt16: return run<uint16_t>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    case PixelType::Float32: return run<float>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    case PixelType::RGB8: return run<hd::Rgb<uint8_t>>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    case PixelType::RGB16: return run<hd::Rgb<uint16_t>>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    case PixelType::RGB32: return run<hd::Rgb<uint32_t>>(v, phase, p, tf, width, height, rgba, depth, value, tp);
    default: break;
  }
  return badRequest(std::string("no ray casting for pixel type ") + toString(v.type()));
}

}  // namespace cvx::render
