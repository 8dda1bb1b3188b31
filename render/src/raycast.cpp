// SPDX-License-Identifier: MIT
#include <cvx/core/backend.h>
#include <cvx/render/raycast.h>

#include <algorithm>
#include <string>
#include <type_traits>

#include <cvx/core/reslice.h>
#include <cvx/render/simd.h>

#include "raycast_avx2.h"
#include "raycast_tiles.h"

namespace cvx::render {
namespace {

Error badRequest(std::string message) { return makeError("render.bad_request", std::move(message)); }

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
        return detail::tiles(p, tf, detail::Avx2Batch<hd::GridSampler<T>>(s), none, width, height, rgba, depth, value, tp);
    // Float voxels (a PET, its rotating MIP): the loop in AVX2 with the SSE gradient, the same bits.
    if constexpr (std::is_same_v<T, float>)
      if (simdLevel() == Simd::Avx2)
        return detail::tiles(p, tf, detail::SseGradient<hd::GridSampler<T>>(s), none, width, height, rgba, depth, value, tp);
#endif
    return detail::tiles(p, tf, s, none, width, height, rgba, depth, value, tp);
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
#if CVX_AVX2_KERNELS
        // The first volume's batches and the whole loop (both samplers, both SSE gradients) in AVX2,
        // as raycastCpu: the same bits (RaycastCpuSimd.FusedVolumesGiveTheScalarBits).
        if constexpr (detail::kPairVoxel<T>)
          if (simdLevel() == Simd::Avx2 && detail::avx2Fits(s)) {
            const detail::SseGradient<hd::GridSampler<T2>> g2(s2);
            return detail::tiles(p, tf, detail::Avx2Batch<hd::GridSampler<T>>(s), &g2, width, height, rgba, depth,
                                 value, tp);
          }
#endif
        return detail::tiles(p, tf, s, &s2, width, height, rgba, depth, value, tp);
      } else {
        return badRequest("unreachable");
      }
    });
  });
}

}  // namespace cvx::render
